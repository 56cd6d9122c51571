// People over time (api.md): the staff list, an admin's changes to a person (name, staff role, disabled or
// active), a person's own profile, and signing out everywhere. Whatever takes access away ends the person's
// sessions, access tokens and live connections in the same step (store/users.ts, revokeExpression;
// realtime/connections.ts, closeConnectionsOf). Never zero active admins: demoting or disabling an admin is
// one transaction that also checks, on its profile, another admin still active — so two admins demoting
// each other at once cannot both succeed (DynamoDB transactions are serializable over the items they name).

import type { Principal } from '../domain/roles.js';
import { isStaffRole, statusOf, type User, type UserPatch, type UserView, userView } from '../domain/users.js';
import { Conflict, NotFound } from '../errors.js';
import { closeConnectionsOf } from '../realtime/connections.js';
import { mapLimited } from '../realtime/pool.js';
import { conditionFailed, transact, transactionConflict } from '../store/dynamo.js';
import {
  activeAdminCheck,
  getAccess,
  getUser,
  listGroupsOfUser,
  listStaffUsers,
  type ProfileChange,
  profileChangeItem,
} from '../store/users.js';

const concurrency = 8;

/** Every agent, admin and auditor, active and disabled, by name. */
export async function listStaff(): Promise<UserView[]> {
  const staff = await listStaffUsers();
  const views = await mapLimited(staff, concurrency, async (user) => userView(user, await listGroupsOfUser(user.id)));
  return views.sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
}

const isActiveAdmin = (user: User) => user.role === 'admin' && statusOf(user) === 'active';

// A change raced with another change of the same person, or the admin it counted on changed meanwhile.
const attempts = 3;

/** An admin's change to a person. */
export async function updateUser(userId: string, patch: UserPatch, now = new Date()): Promise<UserView> {
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(userId);
    if (!user) throw new NotFound('user');
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
    if (Object.keys(change).length === 0) return userView(user, await listGroupsOfUser(user.id));
    const after: User = { ...user, ...change };
    const otherAdmin = isActiveAdmin(user) && !isActiveAdmin(after) ? await anotherActiveAdmin(user.id) : undefined;
    if (otherAdmin === null) throw new Conflict('this would leave no active admin');
    try {
      await transact([profileChangeItem(user, change), ...(otherAdmin ? [activeAdminCheck(otherAdmin)] : [])]);
    } catch (error) {
      if (attempt < attempts && (conditionFailed(error) || transactionConflict(error))) continue;
      if (conditionFailed(error, 1)) throw new Conflict('this would leave no active admin');
      if (conditionFailed(error) || transactionConflict(error)) throw new Conflict('the person changed meanwhile');
      throw error;
    }
    if (change.revokeAt) await closeConnectionsOf(user.id);
    const access = await getAccess(user.id);
    if (!access) throw new NotFound('user');
    return userView(access.user, access.groups);
  }
}

/** An active admin other than `userId`, or null when there is none. */
async function anotherActiveAdmin(userId: string): Promise<string | null> {
  const admins = (await listStaffUsers()).filter((u) => u.id !== userId && isActiveAdmin(u));
  return admins[0]?.id ?? null;
}

/** The signed-in person's own changes: their name and whether replies reach them by e-mail. */
export async function updateMe(
  principal: Principal,
  patch: { name?: string; notifications?: { email: boolean } },
): Promise<UserView> {
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(principal.userId);
    if (!user) throw new NotFound('user');
    const change: ProfileChange = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.notifications !== undefined ? { notifications: { email: patch.notifications.email } } : {}),
    };
    if (Object.keys(change).length > 0) {
      try {
        await transact([profileChangeItem(user, change)]);
      } catch (error) {
        if (attempt < attempts && (conditionFailed(error) || transactionConflict(error))) continue;
        throw error;
      }
    }
    const access = await getAccess(user.id);
    if (!access) throw new NotFound('user');
    return userView(access.user, access.groups);
  }
}

/** Signs the caller out everywhere: every session, access token and live connection of theirs ends now. */
export async function logoutAll(principal: Principal, now = new Date()): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(principal.userId);
    if (!user) return;
    try {
      await transact([profileChangeItem(user, { revokeAt: now })]);
      break;
    } catch (error) {
      if (attempt < attempts && (conditionFailed(error) || transactionConflict(error))) continue;
      throw error;
    }
  }
  await closeConnectionsOf(principal.userId);
}
