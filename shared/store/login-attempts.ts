// Failed sign-ins per e-mail address (known or not, so the lockout itself tells nothing about accounts).
//
// Access patterns (pattern → key/index → operation):
//   failures of an e-mail      pk=LOGIN#<email>    sk=FAILURES    GetItem; optimistic Put on `version`
//
// The item keeps the times of recent failures (a sliding window) and, once there are enough, the time the
// lockout ends. Concurrent failures cannot undercount: each write is conditioned on the version it read.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { conditionFailed, epochSeconds } from './dynamo.js';

export const loginAttemptKeys = {
  failures: (email: string) => ({ pk: `LOGIN#${email}`, sk: 'FAILURES' }),
};

export interface FailureRecord {
  /** Epoch milliseconds of failures inside the window. */
  failures: number[];
  lockedUntil?: number;
  version: number;
}

export async function getFailures(email: string): Promise<FailureRecord | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: loginAttemptKeys.failures(email), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    failures: Array.isArray(Item.failures) ? Item.failures.map(Number) : [],
    ...(typeof Item.lockedUntil === 'number' ? { lockedUntil: Item.lockedUntil } : {}),
    version: Number(Item.version ?? 0),
  };
}

/**
 * Replaces the record if nobody wrote it since `previous` was read; false when someone did (read again).
 * The item expires with the later of its window and its lockout.
 */
export async function putFailures(
  email: string,
  previous: FailureRecord | undefined,
  next: Omit<FailureRecord, 'version'>,
  expiresAt: Date,
): Promise<boolean> {
  try {
    await dynamoClient().send(
      new PutCommand({
        TableName: config.tableName,
        Item: {
          ...loginAttemptKeys.failures(email),
          type: 'loginFailures',
          ...next,
          version: (previous?.version ?? 0) + 1,
          ttl: epochSeconds(expiresAt),
        },
        ConditionExpression: previous ? 'version = :version' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: previous ? { ':version': previous.version } : undefined,
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export async function clearFailures(email: string): Promise<void> {
  await dynamoClient().send(new DeleteCommand({ TableName: config.tableName, Key: loginAttemptKeys.failures(email) }));
}
