import type { Principal } from '../domain/roles.js';
import { type UserView, userView } from '../domain/users.js';
import { Unauthenticated } from '../errors.js';
import { getAccess } from '../store/users.js';
import { presenceOfUser } from './presence.js';

/**
 * The signed-in person, read fresh (the token's copy of role and groups may be minutes old): one Query, and
 * for staff one more for their presence.
 */
export async function currentUser(principal: Principal): Promise<UserView> {
  const access = await getAccess(principal.userId);
  if (!access) throw new Unauthenticated('this account no longer exists');
  return userView(access.user, access.groups, await presenceOfUser(access.user));
}
