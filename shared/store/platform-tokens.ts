// Host platform tokens already exchanged for a session: a platform token works once (api.md, "People over
// time"), so its hash is kept until the token would expire anyway.
//
// Access patterns (pattern → key/index → operation):
//   a spent platform token     pk=PLATFORM_TOKEN#<sha256>   sk=SPENT   conditional PutItem (TTL: the token's expiry)
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { conditionFailed, epochSeconds } from './dynamo.js';

export const platformTokenKeys = {
  spent: (tokenHash: string) => ({ pk: `PLATFORM_TOKEN#${tokenHash}`, sk: 'SPENT' }),
};

/** Marks the token spent; false when it already was (a replay). */
export async function spendPlatformToken(tokenHash: string, expiresAt: Date): Promise<boolean> {
  try {
    await dynamoClient().send(
      new PutCommand({
        TableName: config.tableName,
        Item: { ...platformTokenKeys.spent(tokenHash), type: 'platformToken', ttl: epochSeconds(expiresAt) + 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
