// Access groups as the API serves them: creation, the paged list each role may see, and members.
import { ulid } from 'ulid';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { canSeeGroup, type Group } from '../domain/groups.js';
import { isStaff, type Principal } from '../domain/roles.js';
import { type UserView, userView } from '../domain/users.js';
import { NotFound } from '../errors.js';
import { mapLimited } from '../pool.js';
import { batchGet } from '../store/dynamo.js';
import { getGroup, listAllGroups, listGroupsOfMember, listMemberIds, putGroup } from '../store/groups.js';
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

export async function listMembers(principal: Principal, groupId: string): Promise<UserView[]> {
  await visibleGroup(principal, groupId);
  const ids = await listMemberIds(groupId);
  const users = (await batchGet(ids.map(userKeys.profile))).map(toUser);
  const views = await mapLimited(users, concurrency, async (user) => userView(user, await listGroupsOfUser(user.id)));
  return views.sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
}
