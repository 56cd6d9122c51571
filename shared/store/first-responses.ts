// The first answer by staff on each ticket, kept so that the FirstResponseMs metric
// (shared/observability/metrics.ts) is published once per ticket, whatever happened before the answer
// (a ticket taken before it is answered is already `open`, so its status cannot tell).
//
// Access patterns (pattern → key/index → operation):
//   claim a ticket's first staff answer   pk=TICKET#<id>  sk=FIRST_RESPONSE   PutItem if attribute_not_exists(pk)
//
// The item sits in the ticket's partition, outside the timeline's EVENT#… range.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { conditionFailed } from './dynamo.js';
import { ticketKeys } from './tickets.js';

export const firstResponseKeys = {
  firstResponse: (ticketId: string) => ({ pk: ticketKeys.ticket(ticketId).pk, sk: 'FIRST_RESPONSE' }),
};

/** True for the one caller that records the ticket's first staff answer; false for every later answer. */
export async function claimFirstResponse(ticketId: string, answer: { userId: string; at: string }): Promise<boolean> {
  try {
    await dynamoClient().send(
      new PutCommand({
        TableName: config.tableName,
        Item: { ...firstResponseKeys.firstResponse(ticketId), type: 'first_response', ...answer },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
