// One-time WebSocket connection tickets (`POST /realtime/ticket` → `$connect?ticket=…`): 30 seconds,
// single use, stored only as a hash together with the principal they stand for.
//
// Access patterns (pattern → key/index → operation):
//   ticket by hash             pk=CONN_TICKET#<sha256>    sk=TICKET    PutItem; consumed by DeleteItem with a
//                                                                      condition and ReturnValues ALL_OLD
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Principal } from '../domain/roles.js';
import { conditionFailed, epochSeconds } from './dynamo.js';
import { partitions } from './partitions.js';

export const connectionTicketKeys = {
  ticket: (tokenHash: string) => ({ pk: `${partitions.connectionTicket}${tokenHash}`, sk: 'TICKET' }),
};

export async function putConnectionTicket(tokenHash: string, principal: Principal, expiresAt: Date): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: {
        ...connectionTicketKeys.ticket(tokenHash),
        type: 'connectionTicket',
        principal,
        expiresAt: expiresAt.toISOString(),
        ttl: epochSeconds(expiresAt) + 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Deletes the ticket and returns what it stood for — one caller at most ever gets it. Undefined for an
 * unknown, used or expired ticket.
 */
export async function takeConnectionTicket(tokenHash: string, now: Date): Promise<Principal | undefined> {
  try {
    const { Attributes } = await dynamoClient().send(
      new DeleteCommand({
        TableName: config.tableName,
        Key: connectionTicketKeys.ticket(tokenHash),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!Attributes || Date.parse(String(Attributes.expiresAt)) <= now.getTime()) return undefined;
    return Attributes.principal as Principal;
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}
