// Invitations: how people get into an access group, or onto the staff (agents, admins, auditors; the
// invite's `groupId` is null and its `role` says which). Created by agents (groups) or admins (staff),
// e-mailed through the outbox, redeemed once with the link's token. Acceptance is one transaction: the
// invite turns accepted only if it is still pending on that very token and unexpired, together with the
// membership or the new role (and the account, for someone new), so two concurrent acceptances give one
// success and one 410. An existing account accepts only with its own password, checked as a sign-in is.
import { ulid } from 'ulid';
import { config } from '../config.js';
import { canSeeGroup, type Group } from '../domain/groups.js';
import {
  type Delivery,
  type Invite,
  type InviteRole,
  type InviteView,
  inviteLifetimeSeconds,
  inviteView,
  isExpired,
} from '../domain/invites.js';
import { isAgent, isStaff, isStaffRole, type Principal, type StaffRole } from '../domain/roles.js';
import {
  defaultLocale,
  type Locale,
  minPasswordLength,
  roleAfterJoining,
  statusOf,
  type User,
} from '../domain/users.js';
import { Conflict, Forbidden, Gone, InvalidCredentials, NotFound, ValidationFailed } from '../errors.js';
import { queueEmail } from '../mail/outbox.js';
import { inviteMail, staffInviteMail, webLink } from '../mail/templates.js';
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
import { findUserByEmail, newUserItems, staffIndexOf, userKeys } from '../store/users.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-tokens.js';
import { deliverNow } from './outbox.js';
import { hashPassword } from './passwords.js';
import { checkPassword, openSession, type Session } from './sessions.js';

/**
 * Agents and admins manage a group's invitations. A member of the group without that role is told no
 * (403); anyone else cannot know the group exists (404). Staff invitations are the admins' alone.
 */
function assertMayManage(principal: Principal, groupId: string | null): void {
  if (groupId === null) {
    if (principal.role === 'admin') return;
    if (isStaff(principal)) throw new Forbidden();
    throw new NotFound('invite');
  }
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

/** A fresh link for `invite`: its token, expiry and the e-mail carrying it (`group` null: a staff invitation). */
async function newLink(
  invite: Omit<StoredInvite, 'tokenHash' | 'outboxId' | 'expiresAt'>,
  group: Group | null,
  inviterName: string,
  now: Date,
) {
  const { token, hash } = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + inviteLifetimeSeconds * 1000);
  const common = {
    locale: invite.locale,
    inviteeName: invite.name,
    inviterName,
    link: webLink(config.webUrl, 'accept-invite', token),
    expiresAt: expiresAt.toISOString(),
  };
  const mail = group
    ? inviteMail({ ...common, groupName: group.name })
    : staffInviteMail({ ...common, role: invite.role as StaffRole });
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
  assertMayManage(principal, groupId);
  const group = await getGroup(groupId);
  if (!group) throw new NotFound('group');
  const existing = await findUserByEmail(input.email);
  if (existing && (await isMember(groupId, existing.id)))
    throw new Conflict('this person is already a member of the group');
  return issueInvite(principal, group, 'customer', input, options);
}

/** Invites `input.email` to the staff as `input.role` (admins; the route says who). */
export async function createStaffInvite(
  principal: Principal,
  input: InviteInput & { role: StaffRole },
  now = new Date(),
): Promise<InviteView> {
  assertMayManage(principal, null);
  const existing = await findUserByEmail(input.email);
  if (existing && isStaffRole(existing.role))
    throw new Conflict('this person is already on the staff; change their role instead');
  return issueInvite(principal, null, input.role, input, { now });
}

export async function listStaffInvites(principal: Principal): Promise<InviteView[]> {
  assertMayManage(principal, null);
  const now = new Date();
  return (await listInvites(null)).map((invite) => inviteView(invite, now));
}

async function issueInvite(
  principal: Principal,
  group: Group | null,
  role: InviteRole,
  input: InviteInput,
  options: { alongside?: (invite: InviteView) => TransactItem[]; now?: Date; reusePending?: boolean },
): Promise<InviteView> {
  const now = options.now ?? new Date();
  const groupId = group?.id ?? null;
  for (let attempt = 1; ; attempt++) {
    const latest = options.reusePending ? await findLatestInvite(groupId, input.email) : undefined;
    if (latest?.invite?.status === 'pending' && !isExpired(latest.invite, now)) return inviteView(latest.invite, now);
    const base = {
      id: ulid(),
      groupId,
      role,
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

/** The group an invitation is to (null for a staff invitation); `missing()` when the group is gone. */
async function groupOf(invite: StoredInvite, missing: () => Error): Promise<Group | null> {
  if (invite.groupId === null) return null;
  const group = await getGroup(invite.groupId);
  if (!group) throw missing();
  return group;
}

/** A new link (and e-mail) for a pending or expired invitation; the old link stops working. */
export async function resendInvite(principal: Principal, inviteId: string, now = new Date()): Promise<InviteView> {
  const invite = await managedInvite(principal, inviteId);
  if (invite.status !== 'pending') throw new Conflict(`the invite was already ${invite.status}`);
  const group = await groupOf(invite, () => new NotFound('invite'));
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

/**
 * What the accept page shows before someone commits: 410 for a link that no longer works. `existingAccount`
 * says that accepting needs that account's password.
 */
export async function lookupInvite(
  token: string,
  now = new Date(),
): Promise<{ email: string; groupName: string | null; role: InviteRole; existingAccount: boolean; expiresAt: string }> {
  const invite = await redeemable(token, now);
  const group = await groupOf(invite, () => new Gone());
  const existing = await findUserByEmail(invite.email);
  return {
    email: invite.email,
    groupName: group?.name ?? null,
    role: invite.role ?? 'customer',
    existingAccount: existing?.passwordHash !== undefined,
    expiresAt: invite.expiresAt,
  };
}

async function redeemable(token: string, now: Date): Promise<StoredInvite> {
  const invite = await findInviteByToken(hashOpaqueToken(token));
  if (invite?.status !== 'pending' || isExpired(invite, now)) throw new Gone();
  return invite;
}

/**
 * Redeems the link: the person (new, or the account that already has this e-mail) becomes a member of the
 * group, or takes the staff role, and is signed in. An existing account with a password must give it (a
 * wrong one counts as a failed sign-in) and keeps its name; one that never had a password (someone known
 * so far only through the host platform) chooses one now.
 */
export async function acceptInvite(
  input: { token: string; name?: string; password: string },
  sourceIp: string,
  now = new Date(),
): Promise<Session & { inviteId: string }> {
  let passwordChecked = false;
  // A lost race (the same link, or the same new e-mail, at the same moment) is settled by reading again.
  for (let attempt = 0; ; attempt++) {
    const invite = await redeemable(input.token, now);
    const group = await groupOf(invite, () => new Gone());
    const role = invite.role ?? 'customer';
    let existing = await findUserByEmail(invite.email);
    if (existing?.passwordHash && !passwordChecked) {
      existing = await checkPassword(invite.email, input.password, sourceIp, async () => existing, now);
      passwordChecked = true;
    }
    if (existing && statusOf(existing) === 'disabled') {
      throw new InvalidCredentials().because('account_disabled');
    }
    if (!existing?.passwordHash && input.password.length < minPasswordLength) {
      throw ValidationFailed.of('password', `at least ${minPasswordLength} characters`);
    }
    if (!existing && input.name === undefined) throw ValidationFailed.of('name', 'required');
    if (existing && role !== 'customer' && isStaffRole(existing.role)) {
      throw new Conflict('this person is already on the staff');
    }
    const user: User = existing
      ? { ...existing, role: role === 'customer' ? roleAfterJoining(existing.role) : role }
      : {
          id: ulid(),
          email: invite.email,
          name: input.name as string,
          role,
          passwordHash: await hashPassword(input.password),
          locale: invite.locale,
          createdAt: now.toISOString(),
        };
    const items: TransactItem[] = [
      ...acceptItems(invite, user.id, now),
      ...(group ? membershipItems(group, user.id, now.toISOString()) : []),
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

/**
 * Joining upgrades a host-platform user to customer, a staff invitation gives its role (and a place in the
 * staff list), and an account without a password gets one.
 */
function profileUpdate(before: User, after: User): TransactItem {
  const setPassword = !before.passwordHash && after.passwordHash;
  const staffIndex = staffIndexOf(after.id, after.role);
  const sets = [
    '#role = :role',
    ...(setPassword ? ['passwordHash = :hash'] : []),
    ...Object.keys(staffIndex).map((key) => `${key} = :${key}`),
  ];
  return {
    Update: {
      TableName: config.tableName,
      Key: userKeys.profile(before.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      // Written only if the role is still the one read and nobody set a password meanwhile.
      ConditionExpression: `attribute_exists(pk) AND #role = :roleBefore${setPassword ? ' AND attribute_not_exists(passwordHash)' : ''}`,
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: {
        ':role': after.role,
        ':roleBefore': before.role,
        ...(setPassword ? { ':hash': after.passwordHash } : {}),
        ...Object.fromEntries(Object.entries(staffIndex).map(([key, value]) => [`:${key}`, value])),
      },
    },
  };
}
