import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';

/** A GetItem on a key that never exists: proves the table answers, costs one read unit at most. */
export async function checkTable(): Promise<void> {
  await dynamoClient().send(new GetCommand({ TableName: config.tableName, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
}
