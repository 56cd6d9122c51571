import type { Principal } from '../domain/roles.js';
import { type UserView, userView } from '../domain/users.js';
import { Unauthenticated } from '../errors.js';
import { getUser, listGroupsOfUser } from '../store/users.js';

/** The signed-in person, read fresh (the token's copy of role and groups may be minutes old). */
export async function currentUser(principal: Principal): Promise<UserView> {
  const user = await getUser(principal.userId);
  if (!user) throw new Unauthenticated('this account no longer exists');
  return userView(user, await listGroupsOfUser(user.id));
}
