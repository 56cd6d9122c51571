// People over time (api.md): the staff list, an admin's changes to a person (name, staff role, disabled or
// active), a person's own profile, and signing out everywhere. Whatever takes access away ends the person's
// sessions, access tokens and live connections in the same step (store/users.ts, revokeExpression;
// realtime/connections.ts, closeConnectionsOf). Never zero active admins: demoting or disabling an admin is
// one transaction that also checks, on its profile, another admin still active — so two admins demoting
// each other at once cannot both succeed (DynamoDB transactions are serializable over the items they name).

import { isStaffRole, type Principal } from '../domain/roles.js';
import { statusOf, type User, type UserPatch, type UserView, userView } from '../domain/users.js';
import { Conflict, NotFound } from '../errors.js';
import { mapLimited } from '../pool.js';
import { closeConnectionsOf } from '../realtime/connections.js';
import { conditionFailed, type TransactItem, transact, transactionConflict } from '../store/dynamo.js';
import {
  activeAdminCheck,
  getAccess,
  getUser,
  listGroupsOfUser,
  listStaffUsers,
  type ProfileChange,
  profileChangeItem,
} from '../store/users.js';
import { presenceOfUser } from './presence.js';

const concurrency = 8;

/** Every agent, admin and auditor, active and disabled, by name. */
export async function listStaff(): Promise<UserView[]> {
  const staff = await listStaffUsers();
  const views = await mapLimited(staff, concurrency, async (user) => {
    const [groups, presence] = await Promise.all([listGroupsOfUser(user.id), presenceOfUser(user)]);
    return userView(user, groups, presence);
  });
  return views.sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
}

const isActiveAdmin = (user: User) => user.role === 'admin' && statusOf(user) === 'active';

// A change raced with another change of the same person, or the admin it counted on changed meanwhile.
const attempts = 3;

/**
 * Reads the person, lets `plan` decide the writes (none: nothing to change) and commits them. The writes are
 * conditioned on what was read, so one that lost a race with another change is planned again from a fresh
 * read; after the last try, `lost` says what to answer.
 */
async function changePerson(
  userId: string,
  plan: (user: User) => Promise<TransactItem[]>,
  lost: (error: unknown) => Error = () => new Conflict('the person changed meanwhile'),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(userId);
    if (!user) throw new NotFound('user');
    const items = await plan(user);
    if (items.length === 0) return;
    try {
      await transact(items);
      return;
    } catch (error) {
      if (!conditionFailed(error) && !transactionConflict(error)) throw error;
      if (attempt === attempts) throw lost(error);
    }
  }
}

/** The person as they are now, as the contract shows them. */
async function viewOf(userId: string): Promise<UserView> {
  const access = await getAccess(userId);
  if (!access) throw new NotFound('user');
  return userView(access.user, access.groups, await presenceOfUser(access.user));
}

/** An admin's change to a person. */
export async function updateUser(userId: string, patch: UserPatch, now = new Date()): Promise<UserView> {
  let revoked = false;
  await changePerson(
    userId,
    async (user) => {
      if (patch.role !== undefined && patch.role !== user.role && !isStaffRole(user.role)) {
        throw new Conflict('customers and host-platform users become staff only by invitation');
      }
      const roleChanges = patch.role !== undefined && patch.role !== user.role;
      const disables = patch.status === 'disabled' && statusOf(user) === 'active';
      const change: ProfileChange = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(roleChanges ? { role: patch.role } : {}),
        ...(patch.status !== undefined && patch.status !== statusOf(user) ? { status: patch.status } : {}),
        ...(roleChanges || disables ? { revokeAt: now } : {}),
      };
      revoked = change.revokeAt !== undefined;
      if (Object.keys(change).length === 0) return [];
      const after: User = { ...user, ...change };
      if (!isActiveAdmin(user) || isActiveAdmin(after)) return [profileChangeItem(user, change)];
      const otherAdmin = await anotherActiveAdmin(user.id);
      if (otherAdmin === undefined) throw new Conflict('this would leave no active admin');
      return [profileChangeItem(user, change), activeAdminCheck(otherAdmin)];
    },
    (error) =>
      new Conflict(conditionFailed(error, 1) ? 'this would leave no active admin' : 'the person changed meanwhile'),
  );
  if (revoked) await closeConnectionsOf(userId);
  return viewOf(userId);
}

/** An active admin other than `userId`, if there is one. */
export async function anotherActiveAdmin(userId: string): Promise<string | undefined> {
  return (await listStaffUsers()).find((u) => u.id !== userId && isActiveAdmin(u))?.id;
}

/** The signed-in person's own changes: their name and whether replies reach them by e-mail. */
export async function updateMe(
  principal: Principal,
  patch: { name?: string; notifications?: { email: boolean } },
): Promise<UserView> {
  const change: ProfileChange = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.notifications !== undefined ? { notifications: { email: patch.notifications.email } } : {}),
  };
  await changePerson(principal.userId, async (user) =>
    Object.keys(change).length === 0 ? [] : [profileChangeItem(user, change)],
  );
  return viewOf(principal.userId);
}

/** Signs the caller out everywhere: every session, access token and live connection of theirs ends now. */
export async function logoutAll(principal: Principal, now = new Date()): Promise<void> {
  await changePerson(principal.userId, async (user) => [profileChangeItem(user, { revokeAt: now })]);
  await closeConnectionsOf(principal.userId);
}
