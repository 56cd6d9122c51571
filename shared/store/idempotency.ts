// Idempotency records: "this caller already did this request; here is what it produced".
//
// Access patterns (pattern → key/index → operation):
//   a request's record   pk=IDEMPOTENCY#<scope>#<sha256 of the key>  sk=IDEMPOTENCY   GetItem (consistent); Put inside
//                                                                                    the transaction that does the work
//
// The record is written in the same transaction as the work, conditioned on no live record existing, so two
// concurrent requests with one key cannot both do it: the second is cancelled, finds the first's record and
// answers with its result. Records live 24 hours (TTL, and checked on read since TTL deletion lags).
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { epochSeconds, type TransactItem } from './dynamo.js';

export const idempotencyWindowSeconds = 24 * 60 * 60;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const idempotencyKeys = {
  // Hashing the key bounds its size and keeps whatever characters a client sends out of the table's keys.
  record: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${sha256(key)}`, sk: 'IDEMPOTENCY' }),
};

/** A fingerprint of a request body: the same JSON value, whatever its key order, gives the same hash. */
export function requestHash(value: unknown): string {
  return sha256(JSON.stringify(canonical(value)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export interface IdempotencyRecord {
  requestHash: string;
  resultId: string;
}

export async function findIdempotencyRecord(
  scope: string,
  key: string,
  now: Date,
): Promise<IdempotencyRecord | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: idempotencyKeys.record(scope, key), ConsistentRead: true }),
  );
  if (!Item || typeof Item.ttl !== 'number' || Item.ttl <= epochSeconds(now)) return undefined;
  return { requestHash: String(Item.requestHash), resultId: String(Item.resultId) };
}

/** Records the result; cancels the transaction if a live record for the key exists. */
export function idempotencyItem(scope: string, key: string, record: IdempotencyRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...idempotencyKeys.record(scope, key),
        type: 'idempotency',
        ...record,
        ttl: epochSeconds(now) + idempotencyWindowSeconds,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':now': epochSeconds(now) },
    },
  };
}
