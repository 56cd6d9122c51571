// Deployment-wide settings an admin changes (the SLA policy, the assignment policy): one item each, read
// consistently where it is used so a change applies to the next request.
//
// Access patterns (pattern → key/index → operation):
//   a setting                        pk=SETTINGS  sk=<name>                               GetItem / PutItem
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';

export type SettingName = 'SLA_POLICY' | 'ASSIGNMENT_POLICY';

const settingKey = (name: SettingName) => ({ pk: 'SETTINGS', sk: name });

export async function getSetting<T>(name: SettingName): Promise<T | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: settingKey(name), ConsistentRead: true }),
  );
  return Item ? (Item.policy as T) : undefined;
}

export async function putSetting<T>(name: SettingName, policy: T, updatedBy: string, now: Date): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...settingKey(name), type: name.toLowerCase(), policy, updatedBy, updatedAt: now.toISOString() },
    }),
  );
}
