// Rating a resolved ticket (POST /tickets/{id}/satisfaction, or the e-mail's one-click link through
// POST /satisfaction): a `satisfaction` event, and the rating kept on the ticket so that the reports count
// only its latest one (domain/reports.ts reportDeltas), in the same transaction.
import { ulid } from 'ulid';
import type { TicketEvent } from '../domain/events.js';
import { dayIn, type Rating, type ReportedTicket } from '../domain/reports.js';
import type { Principal } from '../domain/roles.js';
import { type RateInput, whyNotRatable } from '../domain/satisfaction.js';
import { principalOf } from '../domain/users.js';
import { Conflict, Forbidden, Gone } from '../errors.js';
import { verifyRatingToken } from '../mail/rating-links.js';
import { commentItem } from '../store/reports.js';
import { getUser, listGroupsOfUser } from '../store/users.js';
import { visibleRecord } from './reads.js';
import { reportTimeZone } from './report-writes.js';
import { applyChange } from './transaction.js';

/** Records `principal`'s rating of a ticket they requested: 403 for anyone else, 409 when it may not be rated. */
export async function rateTicket(
  principal: Principal,
  ticketId: string,
  input: RateInput,
  options: { clock?: () => Date } = {},
): Promise<TicketEvent> {
  const first = await visibleRecord(principal, ticketId);
  if (first.requesterId !== principal.userId) throw new Forbidden('only the person who opened the ticket may rate it');
  const { events } = await applyChange(
    principal,
    ticketId,
    (current: ReportedTicket, now) => {
      const refusal = whyNotRatable(current, now);
      if (refusal) throw new Conflict(refusal);
      const comment = input.comment ? { comment: input.comment } : {};
      const rating: Rating = {
        score: input.score,
        id: ulid(now.getTime()),
        key: {
          day: dayIn(reportTimeZone(), now),
          topic: current.topic,
          groupId: current.groupId ?? null,
          agentId: current.assigneeId ?? null,
        },
      };
      const next: ReportedTicket = { ...current, rating };
      return {
        next,
        drafts: [{ type: 'satisfaction', data: { score: input.score, ...comment } }],
        // The comment is kept for the dashboard's latest comments too, with the rating.
        extra: ([event]) =>
          event && input.comment
            ? [
                {
                  item: commentItem(rating.key.day, event.id, {
                    ticketId: current.id,
                    ticketNumber: current.number,
                    score: input.score,
                    comment: input.comment,
                    createdAt: event.createdAt,
                  }),
                },
              ]
            : [],
      };
    },
    { first, clock: options.clock },
  );
  const [event] = events;
  if (!event) throw new Error('a rating produced no event');
  return event;
}

/** The one-click link's rating: the token names the ticket and its requester, who need not be signed in. */
export async function rateByLink(token: string, input: RateInput): Promise<TicketEvent> {
  const { ticketId, requesterId } = await verifyRatingToken(token);
  const user = await getUser(requesterId);
  // The link stands for a sign-in: a disabled person has none, and sees the ticket only through their groups.
  if (!user || user.status === 'disabled') throw new Gone('this rating link has expired or is not valid');
  return rateTicket(principalOf(user, await listGroupsOfUser(user.id)), ticketId, input);
}
