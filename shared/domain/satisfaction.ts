// Satisfaction ratings: once a ticket is resolved, its requester rates it 1–5 (with an optional comment)
// within 14 days; a new rating replaces the earlier one, as a new event (the timeline is append-only).
import * as z from '../zod.js';
import type { ReportedTicket } from './reports.js';
import { maxTextLength } from './tickets.js';

export const ratingWindowDays = 14;
const ratingWindowMs = ratingWindowDays * 86_400_000;

const Score = z.number().check(z.int(), z.gte(1), z.lte(5));
const Comment = z.string().check(z.trim(), z.maxLength(maxTextLength));

export const RateBody = z.strictObject({ score: Score, comment: z.optional(Comment) });
export type RateInput = z.output<typeof RateBody>;

/** `POST /satisfaction`: the one-click link's token instead of a session. */
export const RateByLinkBody = z.strictObject({
  token: z.string().check(z.maxLength(2000)),
  score: Score,
  comment: z.optional(Comment),
});

/** When the ticket was resolved (before resolutions were stamped: its last change, which was the resolution). */
export const resolvedAtOf = (ticket: ReportedTicket): string => ticket.resolvedAt ?? ticket.updatedAt;

/** Until when the ticket may be rated. */
export const ratingDeadline = (ticket: ReportedTicket): Date =>
  new Date(new Date(resolvedAtOf(ticket)).getTime() + ratingWindowMs);

/** Why the ticket may not be rated now, or undefined when it may. */
export function whyNotRatable(ticket: ReportedTicket, now: Date): string | undefined {
  if (ticket.status !== 'resolved') return 'only a resolved ticket can be rated';
  if (now > ratingDeadline(ticket)) return `a ticket can be rated within ${ratingWindowDays} days of its resolution`;
  return undefined;
}
