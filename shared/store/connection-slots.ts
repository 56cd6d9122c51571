// Open WebSocket connections per person, kept as numbered slots so that the limit holds under parallel
// connects: a connection takes a free slot (0 … max-1) in the same transaction that stores it, with a
// condition that no live connection holds it. A slot whose connection never sent $disconnect frees itself
// when its expiry (the connection's, 2 hours) passes, or when a push to it answers 410 (closeConnection).
//
// Access patterns (pattern → key/index → operation):
//   slots of a person      pk=CONNSLOTS#<userId>   sk=SLOT#<n>   Query, consistent (at most `max` items)
//   one slot               pk=CONNSLOTS#<userId>   sk=SLOT#<n>   conditional Put (in the connection's
//                                                               transaction), conditional Delete
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { conditionFailed, type TransactItem } from './dynamo.js';
import { partitions } from './partitions.js';

export const connectionSlotKeys = {
  slot: (userId: string, slot: number) => ({ pk: `${partitions.connectionSlot}${userId}`, sk: `SLOT#${slot}` }),
};

/** The slots of `userId` held by a connection that has not expired at `nowSeconds`. */
export async function heldSlots(userId: string, nowSeconds: number): Promise<Set<number>> {
  const { pk } = connectionSlotKeys.slot(userId, 0);
  const { Items = [] } = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slot)',
      ExpressionAttributeValues: { ':pk': pk, ':slot': 'SLOT#' },
      ConsistentRead: true,
    }),
  );
  return new Set(Items.filter((item) => Number(item.ttl) > nowSeconds).map((item) => Number(item.slot)));
}

/** The write that takes slot `slot` for a connection expiring at `ttl`, unless a live connection holds it. */
export function takeSlotItem(
  userId: string,
  slot: number,
  connectionId: string,
  ttl: number,
  nowSeconds: number,
): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...connectionSlotKeys.slot(userId, slot), type: 'connection_slot', slot, connectionId, ttl },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':now': nowSeconds },
    },
  };
}

/** Frees the slot, if this connection still holds it. */
export async function releaseSlot(userId: string, slot: number, connectionId: string): Promise<void> {
  try {
    await dynamoClient().send(
      new DeleteCommand({
        TableName: config.tableName,
        Key: connectionSlotKeys.slot(userId, slot),
        ConditionExpression: 'connectionId = :id',
        ExpressionAttributeValues: { ':id': connectionId },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}
