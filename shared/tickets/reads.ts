// Reading tickets: one ticket, the lists a person may see (with search), a timeline and the agents' queue.
// A ticket the caller may not see is a 404, whether or not it exists.
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { TicketEvent } from '../domain/events.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { matchesWords, queryWords } from '../domain/search.js';
import {
  canSeeTicket,
  isUlid,
  type ListEventsInput,
  type ListTicketsInput,
  matchesFilters,
  type Ticket,
  type TicketRecord,
  ticketView,
  Ulid,
} from '../domain/tickets.js';
import { visibleEvents } from '../domain/visibility.js';
import { Forbidden, NotFound, ValidationFailed } from '../errors.js';
import { queryEvents } from '../store/events.js';
import { requestHash } from '../store/idempotency.js';
import { firstPosition, pageTickets, positionPattern, queuedTickets, sourcesFor } from '../store/search.js';
import { getTicketRecord } from '../store/tickets.js';
import * as z from '../zod.js';

/** The stored ticket, if `principal` may see it; otherwise 404. */
export async function visibleRecord(principal: Principal, ticketId: string): Promise<TicketRecord> {
  const record = isUlid(ticketId) ? await getTicketRecord(ticketId) : undefined;
  if (!record || !canSeeTicket(principal, record)) throw new NotFound('ticket');
  return record;
}

/** The ticket, if `principal` may see it; otherwise 404, whether or not it exists. */
export async function getVisibleTicket(principal: Principal, ticketId: string): Promise<Ticket> {
  return ticketView(await visibleRecord(principal, ticketId));
}

const ListPosition = z.strictObject({ p: z.string().check(z.regex(positionPattern)) });

/** Tickets `principal` may see, newest first, narrowed by the filters and the words of `q`. */
export async function listTickets(
  principal: Principal,
  input: ListTicketsInput,
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const { cursor, limit, q, ...filters } = input;
  const words = q === undefined ? undefined : queryWords(q);
  if (q !== undefined && words === undefined) throw ValidationFailed.of('q', 'needs at least one letter or digit');
  // A cursor continues only the list it came from: the same person, the same filters.
  const context = `tickets\n${principal.userId}\n${requestHash({ ...filters, q })}`;
  const position = cursor ? (await decodeCursor(cursor, context, ListPosition)).p : firstPosition(new Date());
  if (words?.length === 0) return { items: [], nextCursor: null };
  const page = await pageTickets(
    sourcesFor(principal, filters, words),
    (ticket) =>
      matchesFilters(principal, ticket, filters) && (words === undefined || matchesWords(ticket.words, words)),
    position,
    limit,
  );
  return {
    items: page.items.map(ticketView),
    nextCursor: page.next === undefined ? null : await encodeCursor({ p: page.next }, context),
  };
}

const EventPosition = z.strictObject({ a: Ulid });

/** A ticket's timeline, oldest first, after the event `after` (exclusive) or where `cursor` says. */
export async function listEvents(
  principal: Principal,
  ticketId: string,
  input: Partial<ListEventsInput> = {},
): Promise<{ items: TicketEvent[]; nextCursor: string | null }> {
  await visibleRecord(principal, ticketId);
  const context = `events\n${ticketId}`;
  const after = input.cursor ? (await decodeCursor(input.cursor, context, EventPosition)).a : input.after;
  const { items, more } = await queryEvents(ticketId, after, input.limit ?? 50);
  // The cursor continues after the last event read, seen or not, so a page of notes alone moves on too.
  const last = items[items.length - 1];
  return {
    items: visibleEvents(principal.role, items),
    nextCursor: more && last ? await encodeCursor({ a: last.id }, context) : null,
  };
}

/** Chats waiting for an agent, oldest first. */
export async function listQueue(principal: Principal): Promise<Ticket[]> {
  if (!isAgent(principal)) throw new Forbidden();
  return (await queuedTickets(100)).map(ticketView);
}
