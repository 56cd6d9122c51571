// Password reset links: single use, valid one hour.
//
// Access patterns (pattern → key/index → operation):
//   reset by link token        pk=RESET#<sha256>    sk=TOKEN    GetItem; spent by a conditional Delete in the
//                                                              same transaction that sets the new password
//                                                              and the profile's sessionsValidAfter
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { epochSeconds, type TransactItem } from './dynamo.js';
import { setPasswordItem } from './users.js';

export const resetLifetimeSeconds = 60 * 60;

export const resetKeys = {
  token: (tokenHash: string) => ({ pk: `RESET#${tokenHash}`, sk: 'TOKEN' }),
};

export interface PasswordReset {
  userId: string;
  expiresAt: string;
}

export function resetItem(tokenHash: string, reset: PasswordReset): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...resetKeys.token(tokenHash),
        type: 'passwordReset',
        ...reset,
        ttl: epochSeconds(new Date(reset.expiresAt)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getReset(tokenHash: string): Promise<PasswordReset | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: resetKeys.token(tokenHash), ConsistentRead: true }),
  );
  return Item ? { userId: String(Item.userId), expiresAt: String(Item.expiresAt) } : undefined;
}

/**
 * Spends the link, sets the password and ends every session started before `now`, at once; the condition
 * fails if the link was used or expired.
 */
export function spendResetItems(
  tokenHash: string,
  reset: PasswordReset,
  passwordHash: string,
  now: Date,
): TransactItem[] {
  return [
    {
      Delete: {
        TableName: config.tableName,
        Key: resetKeys.token(tokenHash),
        ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      },
    },
    { Update: setPasswordItem(reset.userId, passwordHash, now) },
  ];
}
