// People: their profile, the guard that keeps e-mail addresses unique, and the groups they belong to.
//
// Access patterns (pattern → key/index → operation):
//   user by id                 pk=USER#<userId>      sk=PROFILE          GetItem
//   user by e-mail             pk=EMAIL#<email>      sk=USER             GetItem → userId, then the profile
//   groups of a user           pk=USER#<userId>      sk=GROUP#<groupId>  Query begins_with, consistent
//                              (written together with the group's side, see store/groups.ts)
//
// A new user is two items in one transaction: the profile and the e-mail guard, each conditioned on not
// existing, so two sign-ups with one address cannot both succeed.
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { GroupRef, User } from '../domain/users.js';
import { Conflict } from '../errors.js';
import { conditionFailed, type Item, queryAll, type TransactItem } from './dynamo.js';

export const userKeys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: 'USER' }),
  groupOfUser: (userId: string, groupId: string) => ({ pk: `USER#${userId}`, sk: `GROUP#${groupId}` }),
  groupsOfUser: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: 'GROUP#' }),
};

const userFields = [
  'id',
  'email',
  'name',
  'role',
  'status',
  'notifications',
  'passwordHash',
  'locale',
  'platformSubject',
  'createdAt',
] as const;

export function toUser(item: Item): User {
  return Object.fromEntries(
    userFields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as User;
}

export async function getUser(userId: string): Promise<User | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: userKeys.profile(userId), ConsistentRead: true }),
  );
  return Item ? toUser(Item) : undefined;
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: userKeys.email(email), ConsistentRead: true }),
  );
  return typeof Item?.userId === 'string' ? getUser(Item.userId) : undefined;
}

/** The writes that create `user`; part of a larger transaction when someone joins a group as they sign up. */
export function newUserItems(user: User): TransactItem[] {
  return [
    {
      Put: {
        TableName: config.tableName,
        Item: { ...userKeys.profile(user.id), type: 'user', ...user },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: config.tableName,
        Item: { ...userKeys.email(user.email), type: 'email', userId: user.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Creates `user` (and whatever `alongside` writes, atomically); a taken e-mail is a 409. */
export async function createUser(user: User, alongside: TransactItem[] = []): Promise<void> {
  try {
    await dynamoClient().send(new TransactWriteCommand({ TransactItems: [...newUserItems(user), ...alongside] }));
  } catch (error) {
    if (conditionFailed(error, 1)) throw new Conflict('this e-mail already has an account');
    throw error;
  }
}

export async function setPasswordHash(userId: string, passwordHash: string): Promise<void> {
  await dynamoClient().send(new UpdateCommand(setPasswordItem(userId, passwordHash)));
}

/**
 * The write that replaces a password; the user must exist. With `sessionsValidAfter`, every session started
 * before that moment ends with the same write: refresh (store/sessions.ts) checks the profile's
 * `sessionsValidAfter` in its rotation transaction.
 */
export function setPasswordItem(userId: string, passwordHash: string, sessionsValidAfter?: Date) {
  return {
    TableName: config.tableName,
    Key: userKeys.profile(userId),
    UpdateExpression: sessionsValidAfter
      ? 'SET passwordHash = :hash, sessionsValidAfter = :validAfter'
      : 'SET passwordHash = :hash',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: {
      ':hash': passwordHash,
      ...(sessionsValidAfter ? { ':validAfter': sessionsValidAfter.toISOString() } : {}),
    },
  };
}

export async function listGroupsOfUser(userId: string): Promise<GroupRef[]> {
  const key = userKeys.groupsOfUser(userId);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': key.pk, ':prefix': key.skPrefix },
    ConsistentRead: true,
  });
  return items.map((item) => ({ id: String(item.groupId), name: String(item.groupName) }));
}

/** Turns someone's e-mail notifications on or off; nothing happens for an unknown id. */
export async function setEmailNotifications(userId: string, email: boolean): Promise<void> {
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: userKeys.profile(userId),
        UpdateExpression: 'SET notifications = :notifications',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':notifications': { email } },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}
