// People: their profile, the guard that keeps e-mail addresses unique, and the groups they belong to.
//
// Access patterns (pattern → key/index → operation):
//   user by id                 pk=USER#<userId>      sk=PROFILE          GetItem
//   user by e-mail             pk=EMAIL#<email>      sk=USER             GetItem → userId, then the profile
//   groups of a user           pk=USER#<userId>      sk=GROUP#<groupId>  Query begins_with, consistent
//                              (written together with the group's side, see store/groups.ts)
//   a user's access            pk=USER#<userId>      sk BETWEEN GROUP# AND PROFILE
//     (profile, groups and                                               one consistent Query: what every
//     the OWN#UNGROUPED marker)                                          signed-in request re-reads
//   has asked for a ticket     pk=USER#<userId>      sk=OWN#UNGROUPED    Put with the ticket (tickets/create.ts);
//     outside any group                                                  never deleted: a ticket gets a group,
//                                                                        never loses one
//   staff (agents, admins,     gsi1pk=STAFF          gsi1sk=<userId>     Query on gsi1 (the profile carries
//     auditors)                                                          the index keys while its role is staff)
//
// A new user is two items in one transaction: the profile and the e-mail guard, each conditioned on not
// existing, so two sign-ups with one address cannot both succeed.
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { isStaffRole, type Role } from '../domain/roles.js';
import type { GroupRef, User } from '../domain/users.js';
import { Conflict } from '../errors.js';
import { batchPut, conditionFailed, type Item, queryAll, type TransactItem } from './dynamo.js';

export const userKeys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: 'USER' }),
  groupOfUser: (userId: string, groupId: string) => ({ pk: `USER#${userId}`, sk: `GROUP#${groupId}` }),
  groupsOfUser: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: 'GROUP#' }),
  /** Sorts between GROUP# and PROFILE, so the access Query reads it too. */
  ungroupedTickets: (userId: string) => ({ pk: `USER#${userId}`, sk: 'OWN#UNGROUPED' }),
  staff: (userId: string) => ({ ...userKeys.allStaff(), gsi1sk: userId }),
  allStaff: () => ({ gsi1pk: 'STAFF' }),
};

/** The index keys a profile carries for its role: staff are listed on gsi1, nobody else is. */
export const staffIndexOf = (userId: string, role: Role): Record<string, string> =>
  isStaffRole(role) ? userKeys.staff(userId) : {};

const userFields = [
  'id',
  'email',
  'name',
  'role',
  'status',
  'accessRevision',
  'notifications',
  'presence',
  'lastSignInAt',
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
        Item: { ...userKeys.profile(user.id), ...staffIndexOf(user.id, user.role), type: 'user', ...user },
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
 * The write that replaces a password; the user must exist. With `sessionsValidAfter`, everything issued
 * before that moment ends with the same write (revokeExpression): refresh (store/sessions.ts) checks the
 * profile's `sessionsValidAfter` in its rotation transaction, and access tokens carry an older revision.
 */
export function setPasswordItem(userId: string, passwordHash: string, sessionsValidAfter?: Date) {
  return {
    TableName: config.tableName,
    Key: userKeys.profile(userId),
    UpdateExpression: sessionsValidAfter ? `SET passwordHash = :hash, ${revokeExpression}` : 'SET passwordHash = :hash',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: {
      ':hash': passwordHash,
      ...(sessionsValidAfter ? revokeValues(sessionsValidAfter) : {}),
    },
  };
}

/**
 * The part of a profile update that ends everything issued so far: sessions that started before `now`
 * (refresh tokens, store/sessions.ts) and access tokens and connections under an older `accessRevision`.
 */
export const revokeExpression =
  'sessionsValidAfter = :validAfter, accessRevision = if_not_exists(accessRevision, :zero) + :one';
export const revokeValues = (now: Date) => ({ ':validAfter': now.toISOString(), ':zero': 0, ':one': 1 });

/**
 * A user's profile and groups, in one consistent Query (one page: a person's memberships are a few small
 * items, far from DynamoDB's 1 MB); undefined when there is no such user.
 */
export async function getAccess(
  userId: string,
): Promise<{ user: User; groups: GroupRef[]; ungroupedTickets: boolean } | undefined> {
  const { pk } = userKeys.profile(userId);
  const { Items = [] } = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :groups AND :profile',
      ExpressionAttributeValues: {
        ':pk': pk,
        ':groups': userKeys.groupsOfUser(userId).skPrefix,
        ':profile': 'PROFILE',
      },
      ConsistentRead: true,
    }),
  );
  const profile = Items.find((item) => item.sk === 'PROFILE');
  if (!profile) return undefined;
  const groups = Items.filter((item) => String(item.sk).startsWith('GROUP#')).map(toGroupRef);
  const ungroupedTickets = Items.some((item) => item.sk === userKeys.ungroupedTickets(userId).sk);
  return { user: toUser(profile), groups, ungroupedTickets };
}

/**
 * The marker saying `userId` has asked for a ticket outside any group, so their ticket list reads their own
 * partition beside their groups' (store/search.ts); written in the transaction that opens such a ticket.
 */
export const ungroupedTicketsItem = (userId: string): TransactItem => ({
  Put: { TableName: config.tableName, Item: ungroupedTicketsMarker(userId) },
});

const ungroupedTicketsMarker = (userId: string): Item => ({
  ...userKeys.ungroupedTickets(userId),
  type: 'ungrouped_tickets',
});

/** The markers of people whose tickets were opened before markers existed (tickets/ungrouped-backfill.ts). */
export async function putUngroupedTicketsMarkers(userIds: readonly string[]): Promise<void> {
  await batchPut([...new Set(userIds)].map(ungroupedTicketsMarker));
}

const toGroupRef = (item: Item): GroupRef => ({ id: String(item.groupId), name: String(item.groupName) });

/** Every staff profile (a support team is small: one bounded Query, every page). */
export async function listStaffUsers(): Promise<User[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': userKeys.allStaff().gsi1pk },
  });
  return items.map(toUser);
}

export async function listGroupsOfUser(userId: string): Promise<GroupRef[]> {
  const key = userKeys.groupsOfUser(userId);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': key.pk, ':prefix': key.skPrefix },
    ConsistentRead: true,
  });
  return items.map(toGroupRef);
}

/** Binds the host platform's `sub` to an account that has none yet; false when one was bound meanwhile. */
export async function bindPlatformSubject(userId: string, subject: string): Promise<boolean> {
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: userKeys.profile(userId),
        UpdateExpression: 'SET platformSubject = :subject',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(platformSubject)',
        ExpressionAttributeValues: { ':subject': subject },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export interface ProfileChange {
  name?: string;
  role?: Role;
  status?: User['status'];
  notifications?: User['notifications'];
  /** Ends every session, access token and connection issued until this moment (revokeExpression). */
  revokeAt?: Date;
}

/**
 * The write of a change to `before`'s profile, only if its role and status are still those read (a
 * concurrent change makes it fail rather than decide on stale facts).
 */
export function profileChangeItem(before: User, change: ProfileChange): TransactItem {
  const sets: string[] = [];
  const names: Record<string, string> = { '#role': 'role', '#status': 'status' };
  const statusBefore = before.status ?? 'active';
  // DynamoDB refuses values an expression does not use: `:active` or `:statusBefore`, as the condition needs.
  const values: Record<string, unknown> = {
    ':roleBefore': before.role,
    ...(statusBefore === 'active' ? { ':active': 'active' } : { ':statusBefore': statusBefore }),
  };
  const fields = { name: change.name, role: change.role, status: change.status, notifications: change.notifications };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (change.revokeAt) {
    sets.push(revokeExpression);
    Object.assign(values, revokeValues(change.revokeAt));
  }
  return {
    Update: {
      TableName: config.tableName,
      Key: userKeys.profile(before.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression:
        statusBefore === 'active'
          ? 'attribute_exists(pk) AND #role = :roleBefore AND (attribute_not_exists(#status) OR #status = :active)'
          : 'attribute_exists(pk) AND #role = :roleBefore AND #status = :statusBefore',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** A check, inside a transaction, that `userId` is still an active admin (so that another may stop being one). */
export function activeAdminCheck(userId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: config.tableName,
      Key: userKeys.profile(userId),
      ConditionExpression: '#role = :admin AND (attribute_not_exists(#status) OR #status = :active)',
      ExpressionAttributeNames: { '#role': 'role', '#status': 'status' },
      ExpressionAttributeValues: { ':admin': 'admin', ':active': 'active' },
    },
  };
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
