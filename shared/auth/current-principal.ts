// Who is calling *now*: an access token (or a WebSocket connection) names a person and the revision of their
// access it was issued under; what counts is the person's current role, status and groups. Every signed-in
// HTTP request and every WebSocket frame goes through this, so a disable, a role change, a sign-out
// everywhere or a password reset refuses what was issued before it on the next request, and a membership
// removal narrows it. Cost: one consistent Query (profile + memberships, store/users.ts getAccess) per request.
import type { Principal } from '../domain/roles.js';
import { principalOf, revisionOf, statusOf } from '../domain/users.js';
import { getAccess } from '../store/users.js';

/**
 * The principal `claimed` stands for today, or undefined when the person is gone, disabled, or their access
 * was revoked after `claimed` was issued (its `accessRevision` is older).
 */
export async function currentPrincipal(claimed: Principal): Promise<Principal | undefined> {
  const access = await getAccess(claimed.userId);
  if (!access || statusOf(access.user) !== 'active') return undefined;
  if (revisionOf(access.user) !== (claimed.accessRevision ?? 0)) return undefined;
  return { ...principalOf(access.user, access.groups), ungroupedTickets: access.ungroupedTickets };
}
