// Following a ticket (PUT/DELETE /tickets/{id}/followers/me): a colleague of the requester's company, or a
// member of staff, is told about the ticket's answers as its requester is (shared/domain/notifications.ts).
import type { Principal } from '../domain/roles.js';
import { canWrite, maxFollowers } from '../domain/tickets.js';
import { Conflict, Forbidden } from '../errors.js';
import { visibleRecord } from './reads.js';
import { applyChange } from './transaction.js';

/**
 * Makes `principal` follow the ticket (`follow`) or stop; the timeline records `follower_added` or
 * `follower_removed`. Asking for what already holds records nothing. Anyone who sees the ticket may,
 * except auditors.
 */
export async function setFollowing(principal: Principal, ticketId: string, follow: boolean): Promise<void> {
  const first = await visibleRecord(principal, ticketId);
  if (!canWrite(principal)) throw new Forbidden();
  const userId = principal.userId;
  await applyChange(
    principal,
    ticketId,
    (current) => {
      const followers = current.followerIds ?? [];
      if (followers.includes(userId) === follow) return undefined;
      if (follow && followers.length >= maxFollowers) {
        throw new Conflict(`a ticket has at most ${maxFollowers} followers`);
      }
      return {
        next: { ...current, followerIds: follow ? [...followers, userId] : followers.filter((id) => id !== userId) },
        drafts: [{ type: follow ? 'follower_added' : 'follower_removed', data: { userId } }],
      };
    },
    { first },
  );
}
