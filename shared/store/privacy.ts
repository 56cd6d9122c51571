// A person's data (api.md, "A person's data (LGPD)"): the erasure jobs, the retention policy, and the
// bounded walks over a person's items that export and erasure make. The person's items are found through
// index keys their entities carry (events by actor and granted address, files by uploader, outbox and
// invitations by address: see each entity's access-pattern table), never by a Scan.
//
// Access patterns (pattern → key/index → operation):
//   an erasure               pk=ERASURE#<id>     sk=ERASURE            GetItem; Put with the profile's change;
//                                                                      conditional Update per page (progress)
//   erasures still pending   gsi3pk=ERASURES#PENDING  gsi3sk=<id>      Query gsi3 (the scheduled job)
//   the retention policy     pk=SETTINGS         sk=RETENTION_POLICY   GetItem / Put
//   a person's items         one index partition at a time             Query, one page of `pageSize`, cursor
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { ErasureCounts, ErasureJob, RetentionPolicy } from '../domain/privacy.js';
import { conditionFailed, type Item, type Key, queryPage, type TransactItem } from './dynamo.js';
import { closedIndex } from './tickets.js';

export const privacyKeys = {
  erasure: (id: string) => ({ pk: `ERASURE#${id}`, sk: 'ERASURE' }),
  pending: { index: 'gsi3', pk: 'ERASURES#PENDING' },
  retentionPolicy: () => ({ pk: 'SETTINGS', sk: 'RETENTION_POLICY' }),
} as const;

/** Items read per page of a walk: small enough that a page's writes fit well in one run of the job. */
export const pageSize = 25;

export type Cursor = Record<string, unknown>;

/** One page of an index partition (sorted ascending), from `cursor`. */
export function indexPage(
  partition: { index: string; pk: string },
  cursor: Cursor | undefined,
  limit = pageSize,
): Promise<{ items: Item[]; next?: Cursor }> {
  const pkName = `${partition.index}pk`;
  return queryPage(
    {
      IndexName: partition.index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': pkName },
      ExpressionAttributeValues: { ':pk': partition.pk },
      Limit: limit,
    },
    cursor,
  );
}

/** One page of a partition's items whose sort key starts with `prefix` (a person's sessions, groups). */
export function partitionPage(
  pk: string,
  prefix: string,
  cursor: Cursor | undefined,
  limit = pageSize,
): Promise<{ items: Item[]; next?: Cursor }> {
  return queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ConsistentRead: true,
      Limit: limit,
    },
    cursor,
  );
}

const toJob = (item: Item): ErasureJob => {
  const { pk: _pk, sk: _sk, type: _type, gsi3pk: _gpk, gsi3sk: _gsk, leaseUntil: _lease, ...job } = item;
  return job as unknown as ErasureJob;
};

/** A new erasure, pending (on the index the job walks); part of the transaction that disables the person. */
export function newErasureItem(job: ErasureJob): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...privacyKeys.erasure(job.id),
        type: 'erasure',
        gsi3pk: privacyKeys.pending.pk,
        gsi3sk: job.id,
        ...job,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getErasure(id: string): Promise<ErasureJob | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: privacyKeys.erasure(id), ConsistentRead: true }),
  );
  return Item ? toJob(Item) : undefined;
}

/** Ids of erasures not done yet, oldest first (a handful at any time). */
export async function pendingErasureIds(limit: number): Promise<string[]> {
  const { items } = await indexPage(privacyKeys.pending, undefined, limit);
  return items.map((item) => String(item.id));
}

/**
 * Takes the job for `seconds`, so that two runs (a slow one and the next minute's) never walk one erasure
 * at once; false when another run holds it or it is done.
 */
export async function claimErasure(id: string, now: Date, seconds: number): Promise<boolean> {
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: privacyKeys.erasure(id),
        UpdateExpression: 'SET leaseUntil = :until',
        ConditionExpression: '#status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':until': new Date(now.getTime() + seconds * 1000).toISOString(),
          ':now': now.toISOString(),
          ':pending': 'pending',
        },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Records where the erasure is after a page: its step, the page's cursor and what the page changed (added
 * to the counts). A page's writes are each conditioned on not having been done, so a page done again after a
 * run stopped before this write counts nothing twice.
 */
export async function saveErasureProgress(
  job: Pick<ErasureJob, 'id' | 'step' | 'cursor'>,
  added: Partial<ErasureCounts>,
): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':step': job.step };
  const sets = ['step = :step'];
  for (const [name, count] of Object.entries(added)) {
    if (!count) continue;
    names['#counts'] = 'counts';
    names[`#${name}`] = name;
    values[`:${name}`] = count;
    sets.push(`#counts.#${name} = #counts.#${name} + :${name}`);
  }
  if (job.cursor) {
    sets.push('#cursor = :cursor');
    values[':cursor'] = job.cursor;
  }
  names['#cursor'] = 'cursor';
  await dynamoClient().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: privacyKeys.erasure(job.id),
      UpdateExpression: `SET ${sets.join(', ')}${job.cursor ? '' : ' REMOVE #cursor'}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

/** The erasure is over: it leaves the pending index. */
export async function finishErasure(id: string, now: Date): Promise<void> {
  await dynamoClient().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: privacyKeys.erasure(id),
      UpdateExpression: 'SET #status = :done, doneAt = :now REMOVE gsi3pk, gsi3sk, leaseUntil, #cursor',
      ExpressionAttributeNames: { '#status': 'status', '#cursor': 'cursor' },
      ExpressionAttributeValues: { ':done': 'done', ':now': now.toISOString() },
    }),
  );
}

export async function getRetentionPolicy(): Promise<RetentionPolicy> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: privacyKeys.retentionPolicy(), ConsistentRead: true }),
  );
  return typeof Item?.closedTicketAnonymizeAfterDays === 'number'
    ? { closedTicketAnonymizeAfterDays: Item.closedTicketAnonymizeAfterDays }
    : {};
}

export async function putRetentionPolicy(policy: RetentionPolicy, updatedBy: string, now: Date): Promise<void> {
  if (policy.closedTicketAnonymizeAfterDays === undefined) {
    await dynamoClient().send(new DeleteCommand({ TableName: config.tableName, Key: privacyKeys.retentionPolicy() }));
    return;
  }
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: {
        ...privacyKeys.retentionPolicy(),
        type: 'retention_policy',
        ...policy,
        updatedBy,
        updatedAt: now.toISOString(),
      },
    }),
  );
}

/** Whether a conditional write that erases something changed it (false: an earlier run already had). */
async function erased(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Replaces an event's actor and data (what erasedEventData left of them), once: the event is marked, so a
 * rerun changes and counts nothing.
 */
export function eraseEventItem(key: Key, actor: unknown, data: unknown, now: Date): Promise<boolean> {
  return erased(() =>
    dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: key,
        UpdateExpression: 'SET actor = :actor, #data = :data, erasedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: { ':actor': actor, ':data': data, ':now': now.toISOString() },
      }),
    ),
  );
}

/** Replaces the invited address of an `access_granted` event; it leaves the address's index. */
export function eraseGrantedAddress(key: Key, placeholder: string): Promise<boolean> {
  return erased(() =>
    dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: key,
        UpdateExpression: 'SET #data.email = :placeholder REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(gsi2pk)',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: { ':placeholder': placeholder },
      }),
    ),
  );
}

/** Replaces an invitation's address and name; it leaves the address's index. */
export function eraseInviteItem(key: Key, email: string, name: string): Promise<boolean> {
  return erased(() =>
    dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: key,
        UpdateExpression: 'SET email = :email, #name = :name REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(gsi2pk)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':email': email, ':name': name },
      }),
    ),
  );
}

/** Deletes an item; true when there was one to delete. */
export async function deleteItem(key: Key): Promise<boolean> {
  const { Attributes } = await dynamoClient().send(
    new DeleteCommand({ TableName: config.tableName, Key: key, ReturnValues: 'ALL_OLD' }),
  );
  return Attributes !== undefined;
}

/**
 * The erased profile: "Pessoa removida", an address that is no one's, no password, no platform binding,
 * no e-mail; disabled, so it signs in nowhere. Its id stays, for the events and reports that name it.
 */
export async function eraseProfileItem(key: Key, name: string, email: string, now: Date): Promise<void> {
  await dynamoClient().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: key,
      UpdateExpression:
        'SET #name = :name, email = :email, #status = :disabled, notifications = :none, erasedAt = :now ' +
        'REMOVE passwordHash, platformSubject, gsi1pk, gsi1sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#name': 'name', '#status': 'status' },
      ExpressionAttributeValues: {
        ':name': name,
        ':email': email,
        ':disabled': 'disabled',
        ':none': { email: false },
        ':now': now.toISOString(),
      },
    }),
  );
}

/** Ids of tickets closed before `before` (an ISO time), oldest closing first: one page. */
export async function closedTicketsBefore(before: string, limit = pageSize): Promise<string[]> {
  const { items } = await queryPage(
    {
      IndexName: closedIndex.index,
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :before',
      ExpressionAttributeValues: { ':pk': closedIndex.pk, ':before': before },
      Limit: limit,
    },
    undefined,
  );
  return items.map((item) => String(item.ticketId));
}

/**
 * Gives an item written before they existed the index attributes `attributes` (the backfill of existing
 * deployments, shared/privacy/backfill.ts); true when it had none yet, false when it had them or is gone.
 */
export function addIndexKeys(key: Key, attributes: Item): Promise<boolean> {
  const names = Object.keys(attributes);
  const [first] = names;
  if (first === undefined) return Promise.resolve(false);
  return erased(() =>
    dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: key,
        UpdateExpression: `SET ${names.map((name) => `${name} = :${name}`).join(', ')}`,
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${first})`,
        ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, attributes[name]])),
      }),
    ),
  );
}

/** Puts an item unless it exists; true when it was put. */
export function putIfAbsent(item: Item): Promise<boolean> {
  return erased(() =>
    dynamoClient().send(
      new PutCommand({ TableName: config.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    ),
  );
}
