// Access groups as the API serves them: creation, the paged list each role may see, and members.
import { ulid } from 'ulid';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { canSeeGroup, type Group } from '../domain/groups.js';
import { isAgent, isStaff, type Principal } from '../domain/roles.js';
import { type GroupRef, type UserView, userView } from '../domain/users.js';
import { Forbidden, NotFound } from '../errors.js';
import { forEachLimited, mapLimited } from '../pool.js';
import { unsubscribeFromGroup } from '../realtime/connections.js';
import { batchGet, conditionFailed, transact } from '../store/dynamo.js';
import {
  getGroup,
  listAllGroups,
  listGroupsOfMember,
  listMemberIds,
  membershipDeleteItems,
  putGroup,
  renameMembership,
  updateGroupItem,
} from '../store/groups.js';
import { listGroupsOfUser, toUser, userKeys } from '../store/users.js';
import * as z from '../zod.js';

export async function createGroup(
  principal: Principal,
  body: { name: string; taxId?: string },
  now = new Date(),
): Promise<Group> {
  const group: Group = {
    id: ulid(),
    name: body.name,
    ...(body.taxId ? { taxId: body.taxId } : {}),
    createdAt: now.toISOString(),
    createdBy: principal.userId,
  };
  await putGroup(group);
  return group;
}

const StartKey = z.record(z.string(), z.string());

/** Staff page through every group, by name; anyone else through the groups they belong to. */
export async function listGroups(
  principal: Principal,
  query: { cursor?: string; limit: number },
): Promise<{ items: Group[]; nextCursor: string | null }> {
  const context = isStaff(principal) ? 'groups:all' : `groups:member:${principal.userId}`;
  const startKey = query.cursor ? await decodeCursor(query.cursor, context, StartKey) : undefined;
  const page = isStaff(principal)
    ? await listAllGroups(query.limit, startKey)
    : await listGroupsOfMember(principal.userId, query.limit, startKey);
  return { items: page.items, nextCursor: page.lastKey ? await encodeCursor(page.lastKey, context) : null };
}

/** The group, if `principal` may see it; otherwise the same 404 as for a group that does not exist. */
export async function visibleGroup(principal: Principal, groupId: string): Promise<Group> {
  const group = canSeeGroup(principal, groupId) ? await getGroup(groupId) : undefined;
  if (!group) throw new NotFound('group');
  return group;
}

// A group's members each need their own groups read; a few at a time keeps a large group from
// bursting the table.
const concurrency = 8;

/** A group's members; a customer sees of each member only the groups it shares with them (staff see all). */
export async function listMembers(principal: Principal, groupId: string): Promise<UserView[]> {
  await visibleGroup(principal, groupId);
  const ids = await listMemberIds(groupId);
  const users = (await batchGet(ids.map(userKeys.profile))).map(toUser);
  const shown = (groups: GroupRef[]) =>
    isStaff(principal) ? groups : groups.filter((g) => principal.groupIds.includes(g.id));
  const views = await mapLimited(users, concurrency, async (user) =>
    userView(user, shown(await listGroupsOfUser(user.id))),
  );
  return views.sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
}

/**
 * Takes `userId` out of the group (agents and admins): the membership goes in one transaction, and the
 * person's live connections stop following the group's tickets. Their next request is evaluated without
 * the group (shared/auth/current-principal.ts); tickets they opened stay with the group. A member of the
 * group without that role is told no (403); anyone else cannot know the group exists (404).
 */
export async function removeMember(principal: Principal, groupId: string, userId: string): Promise<void> {
  if (!isAgent(principal)) {
    if (canSeeGroup(principal, groupId)) throw new Forbidden();
    throw new NotFound('group');
  }
  if (!(await getGroup(groupId))) throw new NotFound('group');
  try {
    await transact(membershipDeleteItems(groupId, userId));
  } catch (error) {
    if (conditionFailed(error, 0)) throw new NotFound('member');
    throw error;
  }
  await unsubscribeFromGroup(userId, groupId);
}

/** Renames a group and/or changes its CNPJ (admins); members' lists of groups follow the new name. */
export async function updateGroup(groupId: string, change: { name?: string; taxId?: string }): Promise<Group> {
  const before = await getGroup(groupId);
  if (!before) throw new NotFound('group');
  if (change.name === undefined && change.taxId === undefined) return before;
  let group: Group;
  try {
    group = await updateGroupItem(groupId, change);
  } catch (error) {
    if (conditionFailed(error)) throw new NotFound('group');
    throw error;
  }
  if (change.name !== undefined && change.name !== before.name) {
    const members = await listMemberIds(groupId);
    await forEachLimited(members, concurrency, (userId) => renameMembership(groupId, userId, group.name));
  }
  return group;
}
