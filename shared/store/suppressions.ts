// Suppressed addresses (shared/domain/suppressions.ts).
//
// Access patterns (pattern → key/index → operation):
//   suppression of an address   pk=SUPPRESSION#<email>  sk=SUPPRESSION             GetItem (before every send), Put, Delete
//   all suppressions, by e-mail gsi1pk=SUPPRESSIONS     gsi1sk=<email>             Query on gsi1, paged with a cursor
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Suppression } from '../domain/suppressions.js';
import { conditionFailed, type Item } from './dynamo.js';
import type { Page } from './groups.js';
import { partitions } from './partitions.js';

export const suppressionKeys = {
  item: (email: string) => ({ pk: `${partitions.suppression}${email.toLowerCase()}`, sk: 'SUPPRESSION' }),
  all: () => ({ gsi1pk: 'SUPPRESSIONS' }),
};

const toSuppression = (item: Item): Suppression => ({
  email: String(item.email),
  reason: item.reason as Suppression['reason'],
  at: String(item.at),
});

export async function getSuppression(email: string): Promise<Suppression | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: suppressionKeys.item(email), ConsistentRead: true }),
  );
  return Item ? toSuppression(Item) : undefined;
}

/** Suppresses the address; a later event for it replaces the reason and time (the newest report counts). */
export async function putSuppression(suppression: Suppression): Promise<void> {
  const email = suppression.email.toLowerCase();
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: {
        ...suppressionKeys.item(email),
        ...suppressionKeys.all(),
        gsi1sk: email,
        type: 'suppression',
        ...suppression,
        email,
      },
    }),
  );
}

/** False when the address was not suppressed. */
export async function deleteSuppression(email: string): Promise<boolean> {
  try {
    await dynamoClient().send(
      new DeleteCommand({
        TableName: config.tableName,
        Key: suppressionKeys.item(email),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export async function listSuppressionsPage(
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Page<Suppression>> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': suppressionKeys.all().gsi1pk },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return {
    items: (page.Items ?? []).map(toSuppression),
    lastKey: page.LastEvaluatedKey as Page<Suppression>['lastKey'],
  };
}
