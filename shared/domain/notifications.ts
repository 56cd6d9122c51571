// Reply notifications: who is e-mailed about an event on a ticket, and what of a batch still needs telling.
// Pure: the store keeps the batches (shared/store/notifications.ts) and mail/notifications.ts sends them.
import * as z from '../zod.js';
import type { Actor } from './events.js';
import { isAgentRole } from './roles.js';
import type { Ticket } from './tickets.js';

/** How long the first change for a person on a ticket waits for more before it is e-mailed. */
export const defaultNotifyBatchSeconds = 120;

/** The statuses a staff member moves a ticket to that its requester must hear about. */
const toldStatuses: ReadonlySet<string> = new Set(['pending_customer', 'resolved']);

/** What the rule reads of an event: its type (any, so types added later are simply not told), actor, data. */
export interface NotifiableEvent {
  type: string;
  actor: Pick<Actor, 'id' | 'role'>;
  data: unknown;
}

/**
 * Who is e-mailed about `event` on `ticket`: a staff message, or staff moving the ticket to
 * `pending_customer` or `resolved`, tells the requester and the followers; a customer's message on an
 * assigned ticket tells the assignee. Only `message` and `status_changed` tell anyone, so every other type
 * — an internal note above all — tells nobody. Never the author. Whether a person gets e-mail at all
 * (disabled, notifications off) and still sees the ticket is decided when the batch is sent.
 */
export function recipientsOf(
  ticket: Pick<Ticket, 'requesterId' | 'assigneeId' | 'followerIds'>,
  event: NotifiableEvent,
): string[] {
  const byStaff = isAgentRole(event.actor.role);
  let told: string[] = [];
  if (event.type === 'message') {
    if (byStaff) told = [ticket.requesterId, ...(ticket.followerIds ?? [])];
    else if (ticket.assigneeId) told = [ticket.assigneeId];
  } else if (event.type === 'status_changed' && byStaff) {
    const to = (event.data as { to?: string }).to;
    if (to !== undefined && toldStatuses.has(to)) told = [ticket.requesterId, ...(ticket.followerIds ?? [])];
  }
  return [...new Set(told)].filter((id) => id !== event.actor.id);
}

/**
 * Of the events of a batch, those `userId` is still owed: told to them by the rule (on the ticket as it is
 * now, so someone who stopped following is told nothing more) and not seen live.
 */
export function owedEvents<E extends NotifiableEvent & { id: string }>(
  ticket: Pick<Ticket, 'requesterId' | 'assigneeId' | 'followerIds'>,
  userId: string,
  events: readonly E[],
  seen: ReadonlySet<string>,
): E[] {
  return events.filter((event) => !seen.has(event.id) && recipientsOf(ticket, event).includes(userId));
}

/** An unsubscribe token: whether it is genuine is for the signer to say (shared/mail/unsubscribe.ts). */
const UnsubscribeToken = z.string().check(z.minLength(1), z.maxLength(512));

/**
 * `POST /notifications/unsubscribe`: `{token}` as JSON, or — a mail client's one-click unsubscribe
 * (RFC 8058) — the form field `List-Unsubscribe=One-Click` with the token in the link's query.
 */
export const UnsubscribeBody = z.strictObject({
  token: z.optional(UnsubscribeToken),
  'List-Unsubscribe': z.optional(z.literal('One-Click')),
});
export const UnsubscribeQuery = z.strictObject({ token: z.optional(UnsubscribeToken) });
