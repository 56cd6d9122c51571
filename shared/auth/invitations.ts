// Invitations: how people get into an access group. Created by staff, e-mailed through the outbox,
// redeemed once with the link's token. Acceptance is one transaction: the invite turns accepted only if
// it is still pending on that very token and unexpired, together with the membership (and the account,
// for someone new), so two concurrent acceptances give one success and one 410.
import { ulid } from 'ulid';
import { config } from '../config.js';
import { canSeeGroup, type Group } from '../domain/groups.js';
import {
  type Delivery,
  type Invite,
  type InviteView,
  inviteLifetimeSeconds,
  inviteView,
  isExpired,
} from '../domain/invites.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { defaultLocale, type Locale, roleAfterJoining, type User } from '../domain/users.js';
import { Conflict, Forbidden, Gone, NotFound } from '../errors.js';
import { queueEmail } from '../mail/outbox.js';
import { inviteMail, webLink } from '../mail/templates.js';
import { conditionFailed, type TransactItem, transact, transactionConflict } from '../store/dynamo.js';
import { getGroup, isMember, membershipItems } from '../store/groups.js';
import {
  acceptItems,
  findInviteByToken,
  findLatestInvite,
  getInvite,
  inviteKeys,
  latestWriteIndex,
  listInvites,
  putInvite,
  replaceTokenItems,
  revokeItems,
  type StoredInvite,
} from '../store/invites.js';
import { cancelItem } from '../store/outbox.js';
import { findUserByEmail, newUserItems, userKeys } from '../store/users.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-tokens.js';
import { deliverNow } from './outbox.js';
import { hashPassword } from './passwords.js';
import { openSession, type Session } from './sessions.js';

/**
 * Agents and admins manage invitations. A member of the group without that role is told no (403); anyone
 * else cannot know the group exists (404).
 */
function assertMayManage(principal: Principal, groupId: string): void {
  if (isAgent(principal)) return;
  if (canSeeGroup(principal, groupId)) throw new Forbidden();
  throw new NotFound('group');
}

async function managedInvite(principal: Principal, inviteId: string): Promise<StoredInvite> {
  const invite = await getInvite(inviteId);
  if (!invite) throw new NotFound('invite');
  try {
    assertMayManage(principal, invite.groupId);
  } catch (error) {
    throw error instanceof NotFound ? new NotFound('invite') : error;
  }
  return invite;
}

const queued: Delivery = { status: 'queued', attempts: 0 };

/** A fresh link for `invite`: its token, expiry and the e-mail carrying it. */
async function newLink(
  invite: Omit<StoredInvite, 'tokenHash' | 'outboxId' | 'expiresAt'>,
  group: Group,
  inviterName: string,
  now: Date,
) {
  const { token, hash } = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + inviteLifetimeSeconds * 1000);
  const mail = inviteMail({
    locale: invite.locale,
    groupName: group.name,
    inviteeName: invite.name,
    inviterName,
    link: webLink(config.webUrl, 'accept-invite', token),
    expiresAt: expiresAt.toISOString(),
  });
  const email = await queueEmail(
    'invite',
    { to: invite.email, ...mail },
    {
      now,
      expiresAt,
      deliveryOf: inviteKeys.invite(invite.id),
    },
  );
  return { tokenHash: hash, expiresAt: expiresAt.toISOString(), email };
}

const withDelivery = (invite: Invite, delivery: Delivery | undefined): InviteView =>
  inviteView(delivery ? { ...invite, delivery } : invite);

export interface InviteInput {
  email: string;
  name?: string;
  locale?: Locale;
}

/** Tries of an invitation that must stay the only pending one, when another request keeps adding one. */
const latestAttempts = 3;

/**
 * Invites `input.email` to the group and sends the e-mail. `alongside` gives, for the invite about to be
 * written, writes of the caller's that must happen in the same transaction (e.g. a ticket's
 * `access_granted` event, which names the invite). With `reusePending`, a pending, unexpired invitation
 * of that e-mail to the group is the answer instead: no second invite, e-mail or `alongside` writes — the
 * same request sent twice (a double click) invites once.
 */
export async function createInvite(
  principal: Principal,
  groupId: string,
  input: InviteInput,
  options: { alongside?: (invite: InviteView) => TransactItem[]; now?: Date; reusePending?: boolean } = {},
): Promise<InviteView> {
  const now = options.now ?? new Date();
  assertMayManage(principal, groupId);
  const group = await getGroup(groupId);
  if (!group) throw new NotFound('group');
  const existing = await findUserByEmail(input.email);
  if (existing && (await isMember(groupId, existing.id)))
    throw new Conflict('this person is already a member of the group');
  for (let attempt = 1; ; attempt++) {
    const latest = options.reusePending ? await findLatestInvite(groupId, input.email) : undefined;
    if (latest?.invite?.status === 'pending' && !isExpired(latest.invite, now)) return inviteView(latest.invite, now);
    const base = {
      id: ulid(),
      groupId,
      email: input.email,
      ...(input.name ? { name: input.name } : {}),
      locale: input.locale ?? defaultLocale,
      status: 'pending' as const,
      createdAt: now.toISOString(),
      createdBy: principal.userId,
      delivery: queued,
    };
    const link = await newLink(base, group, principal.name, now);
    const invite: StoredInvite = {
      ...base,
      tokenHash: link.tokenHash,
      expiresAt: link.expiresAt,
      outboxId: link.email.item.id,
    };
    try {
      await putInvite(
        invite,
        [link.email.write, ...(options.alongside?.(inviteView(invite, now)) ?? [])],
        latest ? { inviteId: latest.inviteId } : 'overwrite',
      );
    } catch (error) {
      // Another request made an invitation meanwhile: the next round answers with it.
      if (latest && attempt < latestAttempts && conditionFailed(error, latestWriteIndex)) continue;
      throw error;
    }
    return withDelivery(invite, await deliverNow(link.email.item, now));
  }
}

export async function listGroupInvites(principal: Principal, groupId: string): Promise<InviteView[]> {
  assertMayManage(principal, groupId);
  if (!(await getGroup(groupId))) throw new NotFound('group');
  const now = new Date();
  return (await listInvites(groupId)).map((invite) => inviteView(invite, now));
}

/** A new link (and e-mail) for a pending or expired invitation; the old link stops working. */
export async function resendInvite(principal: Principal, inviteId: string, now = new Date()): Promise<InviteView> {
  const invite = await managedInvite(principal, inviteId);
  if (invite.status !== 'pending') throw new Conflict(`the invite was already ${invite.status}`);
  const group = await getGroup(invite.groupId);
  if (!group) throw new NotFound('invite');
  const link = await newLink(invite, group, principal.name, now);
  const next = { tokenHash: link.tokenHash, outboxId: link.email.item.id, expiresAt: link.expiresAt, delivery: queued };
  try {
    await transact([...replaceTokenItems(invite, next), link.email.write, ...cancelOldEmail(invite, now)]);
  } catch (error) {
    if (conditionFailed(error, 0) || transactionConflict(error))
      throw new Conflict('the invite changed meanwhile; try again');
    throw error;
  }
  return withDelivery({ ...invite, ...next }, await deliverNow(link.email.item, now));
}

export async function revokeInvite(principal: Principal, inviteId: string, now = new Date()): Promise<void> {
  const invite = await managedInvite(principal, inviteId);
  if (invite.status === 'revoked') return;
  if (invite.status === 'accepted') throw new Conflict('the invite was already accepted');
  try {
    await transact([...revokeItems(invite), ...cancelOldEmail(invite, now)]);
  } catch (error) {
    if (conditionFailed(error, 0) || transactionConflict(error))
      throw new Conflict('the invite changed meanwhile; try again');
    throw error;
  }
}

/**
 * Stops the e-mail with the old link, if it may still go out. Once the link has expired the outbox will
 * not send it, and its item may already be gone (TTL).
 */
const cancelOldEmail = (invite: StoredInvite, now: Date): TransactItem[] =>
  isExpired(invite, now) ? [] : [cancelItem(invite.outboxId)];

/** What the accept page shows before someone commits: 410 for a link that no longer works. */
export async function lookupInvite(
  token: string,
  now = new Date(),
): Promise<{ email: string; groupName: string; expiresAt: string }> {
  const invite = await redeemable(token, now);
  const group = await getGroup(invite.groupId);
  if (!group) throw new Gone();
  return { email: invite.email, groupName: group.name, expiresAt: invite.expiresAt };
}

async function redeemable(token: string, now: Date): Promise<StoredInvite> {
  const invite = await findInviteByToken(hashOpaqueToken(token));
  if (invite?.status !== 'pending' || isExpired(invite, now)) throw new Gone();
  return invite;
}

/**
 * Redeems the link: the person (new, or the account that already has this e-mail) becomes a member of
 * the group and is signed in. An existing account keeps its password; the one given is ignored, unless
 * the account never had one (someone known so far only through the host platform).
 */
export async function acceptInvite(
  input: { token: string; name: string; password: string },
  now = new Date(),
): Promise<Session & { inviteId: string }> {
  // A lost race (the same link, or the same new e-mail, at the same moment) is settled by reading again.
  for (let attempt = 0; ; attempt++) {
    const invite = await redeemable(input.token, now);
    const group = await getGroup(invite.groupId);
    if (!group) throw new Gone();
    const existing = await findUserByEmail(invite.email);
    const user: User = existing
      ? { ...existing, role: roleAfterJoining(existing.role) }
      : {
          id: ulid(),
          email: invite.email,
          name: input.name,
          role: 'customer',
          passwordHash: await hashPassword(input.password),
          locale: invite.locale,
          createdAt: now.toISOString(),
        };
    const items: TransactItem[] = [
      ...acceptItems(invite, user.id, now),
      ...membershipItems(group, user.id, now.toISOString()),
    ];
    if (existing) {
      if (!existing.passwordHash) user.passwordHash = await hashPassword(input.password);
      items.push(profileUpdate(existing, user));
    } else {
      items.push(...newUserItems(user));
    }
    try {
      await transact(items);
    } catch (error) {
      if (attempt < 2 && (conditionFailed(error) || transactionConflict(error))) continue;
      if (conditionFailed(error) || transactionConflict(error)) throw new Gone();
      throw error;
    }
    return { ...(await openSession(user, now)), inviteId: invite.id };
  }
}

/** Joining upgrades a host-platform user to customer and gives a password to an account without one. */
function profileUpdate(before: User, after: User): TransactItem {
  const setPassword = !before.passwordHash && after.passwordHash;
  return {
    Update: {
      TableName: config.tableName,
      Key: userKeys.profile(before.id),
      UpdateExpression: setPassword ? 'SET #role = :role, passwordHash = :hash' : 'SET #role = :role',
      // Written only if nobody set a password meanwhile.
      ConditionExpression: setPassword
        ? 'attribute_exists(pk) AND attribute_not_exists(passwordHash)'
        : 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: { ':role': after.role, ...(setPassword ? { ':hash': after.passwordHash } : {}) },
    },
  };
}
