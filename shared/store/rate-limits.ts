// Rate limits every function instance shares: one item per limited thing, updated atomically, so a second
// Lambda instance (or a thousand parallel requests) sees the same count. The algorithm is GCRA (the
// "generic cell rate algorithm" of ATM networks, a token bucket kept as one number): the item holds the
// theoretical arrival time `tat` of the next request; a request is allowed while `tat` is at most
// `(burst - 1) × interval` ahead of now, and each allowed request moves `tat` one interval on.
//
// Access patterns (pattern → key/index → operation):
//   the limit of a thing     pk=LIMIT#<name>#<subject>   sk=LIMIT   conditional UpdateItem (at most two)
//
// Items expire (ttl) once `tat` is in the past, when they no longer limit anything. Times are epoch ms.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Rate } from '../domain/limits.js';
import { conditionFailed, type TransactItem } from './dynamo.js';
import { partitions } from './partitions.js';

export const rateLimitKeys = {
  limit: (name: string, subject: string) => ({ pk: `${partitions.limit}${name}#${subject}`, sk: 'LIMIT' }),
};

/** Allowed, or how long until the next request would be. */
export type Decision = { allowed: true } | { allowed: false; retryAfterMs: number };

const ttlOf = (tat: number) => Math.ceil(tat / 1000) + 1;

/** The update that takes a request when the thing is idle (its `tat` reached): the only case when `burst` is 1. */
function idleUpdate(name: string, subject: string, rate: Rate, now: number) {
  return {
    TableName: config.tableName,
    Key: rateLimitKeys.limit(name, subject),
    UpdateExpression: 'SET tat = :next, #ttl = :ttl',
    ConditionExpression: 'attribute_not_exists(pk) OR tat <= :now',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':now': now, ':next': now + rate.intervalMs, ':ttl': ttlOf(now + rate.intervalMs) },
  };
}

/**
 * For a rate with a burst of 1, the write that takes its one request, as part of a transaction (so what the
 * request does and its count are written together); the transaction fails its condition when limited.
 */
export function takeOnlyRequest(name: string, subject: string, rate: Rate, now: number): TransactItem {
  if (rate.burst !== 1) throw new Error('takeOnlyRequest is for rates with a burst of 1');
  return { Update: idleUpdate(name, subject, rate, now) };
}

/** Takes one request of `subject` under the limit `name`, at `now`. */
export async function takeRequest(name: string, subject: string, rate: Rate, now = Date.now()): Promise<Decision> {
  const tolerance = (rate.burst - 1) * rate.intervalMs;
  const refused = (tat: number): Decision => ({ allowed: false, retryAfterMs: Math.max(1, tat - tolerance - now) });
  // Bounded: `tat` only grows while the item lives, so a lost race moves from the first case to the second.
  for (let pass = 0; pass < 3; pass++) {
    const idle = await conditionalUpdate(idleUpdate(name, subject, rate, now));
    if (idle === 'done') return { allowed: true };
    if (idle !== undefined && idle > now + tolerance) return refused(idle);
    const busy = await conditionalUpdate({
      TableName: config.tableName,
      Key: rateLimitKeys.limit(name, subject),
      UpdateExpression: 'SET tat = tat + :interval, #ttl = :ttl',
      ConditionExpression: 'tat > :now AND tat <= :latest',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':now': now,
        ':interval': rate.intervalMs,
        ':latest': now + tolerance,
        ':ttl': ttlOf(now + tolerance + rate.intervalMs),
      },
    });
    if (busy === 'done') return { allowed: true };
    if (busy !== undefined && busy > now + tolerance) return refused(busy);
  }
  // The item kept changing between the two cases (expired and recreated meanwhile): count it as limited.
  return refused(now + tolerance + rate.intervalMs);
}

/** 'done', or the `tat` that failed the condition (undefined when the item was gone). */
async function conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]) {
  try {
    await dynamoClient().send(new UpdateCommand({ ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return 'done' as const;
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    // The old item comes with the error as DynamoDB sent it ({N: "…"}): the document client leaves errors alone.
    const tat = (error as { Item?: { tat?: { N?: string } } }).Item?.tat?.N;
    return tat === undefined ? undefined : Number(tat);
  }
}
