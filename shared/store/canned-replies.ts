// Canned replies, all in one partition: few (domain/canned-replies.ts maxCannedReplies), read whole to filter.
//
// Access patterns (pattern → key/index → operation):
//   every reply                  pk=CANNED_REPLIES  sk=REPLY#<id>   Query, every page (at most 500 items)
//   one reply                    pk=CANNED_REPLIES  sk=REPLY#<id>   conditional Put / Update / Delete
//   how many there are           pk=CANNED_REPLIES                  Query, Select COUNT (the bound on creating)
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { CannedReply } from '../domain/canned-replies.js';
import { type Item, queryAll } from './dynamo.js';

export const cannedReplyKeys = {
  reply: (id: string) => ({ pk: 'CANNED_REPLIES', sk: `REPLY#${id}` }),
  all: () => ({ pk: 'CANNED_REPLIES' }),
};

function toReply(item: Item): CannedReply {
  const { pk: _pk, sk: _sk, type: _type, ...reply } = item;
  return reply as unknown as CannedReply;
}

export async function listCannedReplies(): Promise<CannedReply[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': cannedReplyKeys.all().pk },
    ConsistentRead: true,
  });
  return items.map(toReply);
}

export async function countCannedReplies(): Promise<number> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': cannedReplyKeys.all().pk },
      Select: 'COUNT',
    }),
  );
  return page.Count ?? 0;
}

/** Writes a new reply. */
export async function putCannedReply(reply: CannedReply): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...cannedReplyKeys.reply(reply.id), type: 'canned_reply', ...reply },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Sets the fields `changes` gives (a `null` topic removes it) and `updatedAt`, field by field, so two admins
 * editing different fields both keep theirs. Undefined when the reply does not exist.
 */
export async function updateCannedReply(
  id: string,
  changes: Partial<Omit<CannedReply, 'id' | 'updatedAt' | 'topic'>> & { topic?: string | null },
  updatedAt: string,
): Promise<CannedReply | undefined> {
  const sets = ['updatedAt = :updatedAt'];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':updatedAt': updatedAt };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  try {
    const { Attributes } = await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: cannedReplyKeys.reply(id),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? toReply(Attributes) : undefined;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

/** Deletes a reply; false when there was none. */
export async function deleteCannedReply(id: string): Promise<boolean> {
  const { Attributes } = await dynamoClient().send(
    new DeleteCommand({ TableName: config.tableName, Key: cannedReplyKeys.reply(id), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes !== undefined;
}
