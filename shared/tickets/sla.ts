// The SLA clock's work outside requests: the job that records missed targets within a minute of their due
// time, and the staff's list of open tickets by due time. Both read the due-time index (store/sla.ts), never
// the whole table.
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { EventDraft } from '../domain/events.js';
import { isStaff, type Principal } from '../domain/roles.js';
import { dueAt, missedTargets } from '../domain/sla/ticket-sla.js';
import { type ListTicketsInput, matchesFilters, type Ticket, ticketView } from '../domain/tickets.js';
import { Forbidden, ValidationFailed } from '../errors.js';
import { logger } from '../observability/logger.js';
import { slaBreached } from '../observability/metrics.js';
import { forEachLimited } from '../pool.js';
import { requestHash } from '../store/idempotency.js';
import { listSlaChecksDue, pageByDue } from '../store/sla.js';
import { getTicketRecords } from '../store/tickets.js';
import * as z from '../zod.js';
import { applyChange } from './transaction.js';

/**
 * Who records a missed target on the timeline: the help desk itself. It acts with an admin's reach (it must
 * read every ticket) and appears on the timeline as "SLA".
 */
export const slaClock: Principal = { userId: 'sla', role: 'admin', groupIds: [], name: 'SLA', email: '' };

/** Clocks one run looks at: far more than a minute's breaches; the rest wait a minute, already late. */
const checksPerRun = 200;

/**
 * Appends `sla_breached` to every ticket whose clock passed a due time by `now` (each target once: the
 * ticket's `sla.breaches` records it in the same transaction, at the version read).
 */
export async function recordMissedTargets(now = new Date()): Promise<{ checked: number; breached: number }> {
  const ids = await listSlaChecksDue(now, checksPerRun);
  let breached = 0;
  await forEachLimited(ids, 8, async (ticketId) => {
    try {
      const { events } = await applyChange(slaClock, ticketId, (ticket, at) => {
        const missed = ticket.sla ? missedTargets(ticket.sla, at) : [];
        if (!ticket.sla || missed.length === 0) return undefined;
        const drafts: EventDraft[] = missed.map((target) => ({ type: 'sla_breached', data: { target } }));
        return { next: { ...ticket, sla: { ...ticket.sla, breaches: [...ticket.sla.breaches, ...missed] } }, drafts };
      });
      for (const event of events) if (event.type === 'sla_breached') slaBreached(event.data.target);
      breached += events.length;
    } catch (error) {
      // One ticket that cannot be written now is looked at again on the next run.
      logger.error('sla check failed', { ticketId, error: error as Error });
    }
  });
  return { checked: ids.length, breached };
}

const DuePosition = z.strictObject({ d: z.string().check(z.maxLength(100)) });

/**
 * Open tickets whose clock runs, by due time (their earliest target not met, a missed one first), for staff;
 * the list's other filters apply per ticket. A ticket whose clock stands still is not on it.
 */
export async function listTicketsByDue(
  principal: Principal,
  input: ListTicketsInput,
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  if (!isStaff(principal)) throw new Forbidden('only staff list tickets by due time');
  const { cursor, limit, q, sort: _sort, ...filters } = input;
  if (q !== undefined) throw ValidationFailed.of('q', 'cannot be combined with sort=due');
  const context = `tickets-by-due\n${principal.userId}\n${requestHash(filters)}`;
  const after = cursor ? (await decodeCursor(cursor, context, DuePosition)).d : undefined;
  const page = await pageByDue(after, limit);
  // The index lags the table a little: each ticket is checked as it is now.
  const tickets = (await getTicketRecords(page.ids, { consistent: true }))
    .flatMap((ticket) => {
      const due = dueAt(ticket.sla);
      return due !== undefined && matchesFilters(principal, ticket, filters) ? [{ ticket, due }] : [];
    })
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return {
    items: tickets.map(({ ticket }) => ticketView(ticket)),
    nextCursor: page.next === undefined ? null : await encodeCursor({ d: page.next }, context),
  };
}
