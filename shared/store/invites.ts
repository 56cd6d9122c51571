// Invitations to an access group, and the hashed link tokens that redeem them.
//
// Access patterns (pattern → key/index → operation):
//   invite by id                 pk=INVITE#<inviteId>        sk=INVITE             GetItem
//   invites of a group, newest   gsi1pk=INVITES#<groupId>    gsi1sk=<inviteId>     Query on gsi1, descending
//   staff invites, newest        gsi1pk=INVITES#STAFF        gsi1sk=<inviteId>     Query on gsi1, descending
//                                (a staff invitation's scope is STAFF where a group's is its id, here and in
//                                INVITE_LATEST; group ids are ULIDs, so the two never meet)
//   invites to an address        gsi2pk=INVITES#TO#<email>   gsi2sk=<inviteId>     Query on gsi2 (a person's data,
//                                shared/privacy/)
//   invite by link token         pk=INVITE_TOKEN#<sha256>    sk=TOKEN              GetItem → inviteId (TTL: expiry)
//   latest invite of an e-mail   pk=INVITE_LATEST#<groupId>#<email>  sk=LATEST    GetItem → inviteId
//     to a group                 (written with each new invite; compare-and-swap on inviteId where a second
//                                pending invite must not be made, e.g. a double-clicked grant-access)
//
// The invite item also holds the hash of its current token: acceptance is conditioned on it, so a link
// replaced by a resend is dead even if its token item has not been deleted yet.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Invite } from '../domain/invites.js';
import { type Item, queryAll, type TransactItem } from './dynamo.js';
import { partitions } from './partitions.js';

/** Where an invitation belongs: its group, or the staff (groupId null). */
const scopeOf = (groupId: string | null): string => groupId ?? 'STAFF';

export const inviteKeys = {
  invite: (inviteId: string) => ({ pk: `${partitions.invite}${inviteId}`, sk: 'INVITE' }),
  ofGroup: (groupId: string | null) => ({ gsi1pk: `INVITES#${scopeOf(groupId)}` }),
  to: (email: string) => ({ index: 'gsi2', pk: `INVITES#TO#${email}` }),
  token: (tokenHash: string) => ({ pk: `INVITE_TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  latest: (groupId: string | null, email: string) => ({
    pk: `INVITE_LATEST#${scopeOf(groupId)}#${email}`,
    sk: 'LATEST',
  }),
};

/** What the invite item keeps besides the contract's fields. */
export interface StoredInvite extends Invite {
  tokenHash: string;
  /** The outbox item carrying the current link. */
  outboxId: string;
}

const inviteFields = [
  'id',
  'groupId',
  'role',
  'email',
  'name',
  'locale',
  'status',
  'expiresAt',
  'createdAt',
  'createdBy',
  'delivery',
  'acceptedAt',
  'acceptedBy',
  'tokenHash',
  'outboxId',
] as const;

const toInvite = (item: Item): StoredInvite =>
  ({
    ...Object.fromEntries(inviteFields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])),
    groupId: typeof item.groupId === 'string' ? item.groupId : null,
  }) as unknown as StoredInvite;

const expiryEpoch = (invite: Pick<Invite, 'expiresAt'>) => Math.floor(Date.parse(invite.expiresAt) / 1000);

export function tokenItem(invite: StoredInvite): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...inviteKeys.token(invite.tokenHash),
        type: 'inviteToken',
        inviteId: invite.id,
        ttl: expiryEpoch(invite),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * How a new invitation becomes the latest of its e-mail in its group: unconditionally, or only if the
 * latest is still the one read (`inviteId`; undefined for none), so two racers cannot both add one.
 */
export type LatestSwap = 'overwrite' | { inviteId: string | undefined };

/** Index, in putInvite's transaction, of the write that fails when a `LatestSwap` lost its race. */
export const latestWriteIndex = 2;

function latestItem(invite: StoredInvite, swap: LatestSwap): TransactItem {
  const Item = { ...inviteKeys.latest(invite.groupId, invite.email), type: 'inviteLatest', inviteId: invite.id };
  if (swap === 'overwrite') return { Put: { TableName: config.tableName, Item } };
  return {
    Put: {
      TableName: config.tableName,
      Item,
      ...(swap.inviteId === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'inviteId = :seen', ExpressionAttributeValues: { ':seen': swap.inviteId } }),
    },
  };
}

/**
 * Writes a new invitation, its token, the pointer to it as the latest of its e-mail in the group and
 * `alongside` (its outbox e-mail, a timeline event…) atomically.
 */
export async function putInvite(invite: StoredInvite, alongside: TransactItem[], swap: LatestSwap): Promise<void> {
  await dynamoClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: config.tableName,
            Item: {
              ...inviteKeys.invite(invite.id),
              ...inviteKeys.ofGroup(invite.groupId),
              gsi1sk: invite.id,
              gsi2pk: inviteKeys.to(invite.email).pk,
              gsi2sk: invite.id,
              type: 'invite',
              ...invite,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        tokenItem(invite),
        latestItem(invite, swap),
        ...alongside,
      ],
    }),
  );
}

export async function getInvite(inviteId: string): Promise<StoredInvite | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: inviteKeys.invite(inviteId), ConsistentRead: true }),
  );
  return Item ? toInvite(Item) : undefined;
}

/** The newest invitation of `email` to the group (any status), and its id as putInvite's swap needs it. */
export async function findLatestInvite(
  groupId: string | null,
  email: string,
): Promise<{ inviteId: string | undefined; invite: StoredInvite | undefined }> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: inviteKeys.latest(groupId, email), ConsistentRead: true }),
  );
  const inviteId = typeof Item?.inviteId === 'string' ? Item.inviteId : undefined;
  return { inviteId, invite: inviteId === undefined ? undefined : await getInvite(inviteId) };
}

/** The invitation a link token redeems, if the token is still its current one. */
export async function findInviteByToken(tokenHash: string): Promise<StoredInvite | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: inviteKeys.token(tokenHash), ConsistentRead: true }),
  );
  if (typeof Item?.inviteId !== 'string') return undefined;
  const invite = await getInvite(Item.inviteId);
  return invite?.tokenHash === tokenHash ? invite : undefined;
}

/** Newest first. A group's invitations are few; the whole list is one answer, as the contract has it. */
export async function listInvites(groupId: string | null): Promise<StoredInvite[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': inviteKeys.ofGroup(groupId).gsi1pk },
    ScanIndexForward: false,
  });
  return items.map(toInvite);
}

/** Condition shared by every change of a pending invitation: still pending, and still on the same link. */
const stillPending = {
  ConditionExpression: '#status = :pending AND tokenHash = :tokenHash',
  names: { '#status': 'status' },
};

/** The writes that replace an invitation's link (resend): new token and e-mail, old ones dead. */
export function replaceTokenItems(
  invite: StoredInvite,
  next: Pick<StoredInvite, 'tokenHash' | 'outboxId' | 'expiresAt' | 'delivery'>,
): TransactItem[] {
  const replaced = { ...invite, ...next };
  return [
    {
      Update: {
        TableName: config.tableName,
        Key: inviteKeys.invite(invite.id),
        UpdateExpression: 'SET tokenHash = :next, outboxId = :outboxId, expiresAt = :expiresAt, delivery = :delivery',
        ConditionExpression: stillPending.ConditionExpression,
        ExpressionAttributeNames: stillPending.names,
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':tokenHash': invite.tokenHash,
          ':next': next.tokenHash,
          ':outboxId': next.outboxId,
          ':expiresAt': next.expiresAt,
          ':delivery': next.delivery,
        },
      },
    },
    { Delete: { TableName: config.tableName, Key: inviteKeys.token(invite.tokenHash) } },
    tokenItem(replaced),
  ];
}

/** The writes that revoke a pending invitation and kill its link. */
export function revokeItems(invite: StoredInvite): TransactItem[] {
  return [
    {
      Update: {
        TableName: config.tableName,
        Key: inviteKeys.invite(invite.id),
        UpdateExpression: 'SET #status = :revoked',
        ConditionExpression: stillPending.ConditionExpression,
        ExpressionAttributeNames: stillPending.names,
        ExpressionAttributeValues: { ':pending': 'pending', ':tokenHash': invite.tokenHash, ':revoked': 'revoked' },
      },
    },
    { Delete: { TableName: config.tableName, Key: inviteKeys.token(invite.tokenHash) } },
  ];
}

/**
 * The writes that mark an invitation accepted: only if it is pending, on this very token, and not expired
 * at `now` (TTL deletes lazily, so expiry is checked here too).
 */
export function acceptItems(invite: StoredInvite, userId: string, now: Date): TransactItem[] {
  return [
    {
      Update: {
        TableName: config.tableName,
        Key: inviteKeys.invite(invite.id),
        UpdateExpression: 'SET #status = :accepted, acceptedAt = :now, acceptedBy = :userId',
        ConditionExpression: `${stillPending.ConditionExpression} AND expiresAt > :now`,
        ExpressionAttributeNames: stillPending.names,
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':tokenHash': invite.tokenHash,
          ':accepted': 'accepted',
          ':now': now.toISOString(),
          ':userId': userId,
        },
      },
    },
    { Delete: { TableName: config.tableName, Key: inviteKeys.token(invite.tokenHash) } },
  ];
}
