// Access groups and their members.
//
// Access patterns (pattern → key/index → operation):
//   group by id                  pk=GROUP#<groupId>   sk=GROUP               GetItem / BatchGet
//   all groups, by name          gsi1pk=GROUPS        gsi1sk=<name key>#<id> Query on gsi1, paged with a cursor
//   members of a group           pk=GROUP#<groupId>   sk=MEMBER#<userId>     Query begins_with
//   is someone a member          pk=GROUP#<groupId>   sk=MEMBER#<userId>     GetItem
//   groups of a user, paged      pk=USER#<userId>     sk=GROUP#<groupId>     Query begins_with (store/users.ts keys)
//   leave a group                both membership items                        Delete ×2 in one transaction
//   rename a group               pk=GROUP#<groupId>   sk=GROUP               UpdateItem; then each member's
//                                                                            USER#/GROUP# item (its groupName)
//
// A membership is two items, one in each direction, written in the same transaction, so "who is in this
// group" and "which groups is this person in" are both a Query.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Group } from '../domain/groups.js';
import type { GroupRef } from '../domain/users.js';
import { batchGet, conditionFailed, type Item, queryAll, type TransactItem } from './dynamo.js';
import { userKeys } from './users.js';

export const groupKeys = {
  group: (groupId: string) => ({ pk: `GROUP#${groupId}`, sk: 'GROUP' }),
  allGroups: () => ({ gsi1pk: 'GROUPS' }),
  member: (groupId: string, userId: string) => ({ pk: `GROUP#${groupId}`, sk: `MEMBER#${userId}` }),
  members: (groupId: string) => ({ pk: `GROUP#${groupId}`, skPrefix: 'MEMBER#' }),
};

/** Sorts "Ótica" with "otica": lower-cased, accents dropped. */
const nameKey = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function toGroup(item: Item): Group {
  return {
    id: String(item.id),
    name: String(item.name),
    ...(item.taxId ? { taxId: String(item.taxId) } : {}),
    createdAt: String(item.createdAt),
    createdBy: String(item.createdBy),
  };
}

export async function putGroup(group: Group): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: {
        ...groupKeys.group(group.id),
        ...groupKeys.allGroups(),
        gsi1sk: `${nameKey(group.name)}#${group.id}`,
        type: 'group',
        ...group,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getGroup(groupId: string): Promise<Group | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: groupKeys.group(groupId) }),
  );
  return Item ? toGroup(Item) : undefined;
}

export interface Page<T> {
  items: T[];
  /** DynamoDB's LastEvaluatedKey, for the caller to sign into a cursor. */
  lastKey?: Record<string, string>;
}

export async function listAllGroups(limit: number, startKey?: Record<string, unknown>): Promise<Page<Group>> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': groupKeys.allGroups().gsi1pk },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (page.Items ?? []).map(toGroup), lastKey: page.LastEvaluatedKey as Page<Group>['lastKey'] };
}

/** A page of the groups `userId` belongs to. */
export async function listGroupsOfMember(
  userId: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Page<Group>> {
  const key = userKeys.groupsOfUser(userId);
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': key.pk, ':prefix': key.skPrefix },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const groups = await batchGet((page.Items ?? []).map((m) => groupKeys.group(String(m.groupId))));
  return { items: groups.map(toGroup), lastKey: page.LastEvaluatedKey as Page<Group>['lastKey'] };
}

/**
 * The writes that make `userId` a member of `group`, both directions. Idempotent: joining twice keeps
 * the first `joinedAt`.
 */
export function membershipItems(group: GroupRef, userId: string, joinedAt: string): TransactItem[] {
  const update = (Key: Record<string, string>, fields: Record<string, string>): TransactItem => {
    const names = Object.keys(fields);
    return {
      Update: {
        TableName: config.tableName,
        Key,
        UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}, joinedAt = if_not_exists(joinedAt, :joinedAt)`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(Object.entries(fields).map(([n, v]) => [`:${n}`, v])),
          ':joinedAt': joinedAt,
        },
      },
    };
  };
  return [
    update(groupKeys.member(group.id, userId), { type: 'member', groupId: group.id, userId }),
    update(userKeys.groupOfUser(userId, group.id), {
      type: 'membership',
      groupId: group.id,
      groupName: group.name,
      userId,
    }),
  ];
}

export async function isMember(groupId: string, userId: string): Promise<boolean> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: groupKeys.member(groupId, userId), ConsistentRead: true }),
  );
  return Item !== undefined;
}

export async function listMemberIds(groupId: string): Promise<string[]> {
  const key = groupKeys.members(groupId);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': key.pk, ':prefix': key.skPrefix },
    ProjectionExpression: 'userId',
  });
  return items.map((item) => String(item.userId));
}

/** The writes that end `userId`'s membership of the group, both directions; the group's side must exist. */
export function membershipDeleteItems(groupId: string, userId: string): TransactItem[] {
  return [
    {
      Delete: {
        TableName: config.tableName,
        Key: groupKeys.member(groupId, userId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    { Delete: { TableName: config.tableName, Key: userKeys.groupOfUser(userId, groupId) } },
  ];
}

/** Renames a group and/or changes its CNPJ; the group must exist. Answers the group as it is now. */
export async function updateGroupItem(groupId: string, change: { name?: string; taxId?: string }): Promise<Group> {
  const sets: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (change.name !== undefined) {
    sets.push('#name = :name', 'gsi1sk = :sortKey');
    names['#name'] = 'name';
    values[':name'] = change.name;
    values[':sortKey'] = `${nameKey(change.name)}#${groupId}`;
  }
  if (change.taxId !== undefined) {
    sets.push('taxId = :taxId');
    values[':taxId'] = change.taxId;
  }
  const { Attributes } = await dynamoClient().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: groupKeys.group(groupId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  return toGroup(Attributes as Item);
}

/** The group's name as each member's side of the membership keeps it (for their `groups` list). */
export async function renameMembership(groupId: string, userId: string, name: string): Promise<void> {
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: userKeys.groupOfUser(userId, groupId),
        UpdateExpression: 'SET groupName = :name',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':name': name },
      }),
    );
  } catch (error) {
    // The person left the group meanwhile.
    if (!conditionFailed(error)) throw error;
  }
}
