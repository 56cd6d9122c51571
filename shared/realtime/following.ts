// Following a ticket from a connection without touching the ticket: leaving it, and saying one is typing.
// Kept apart from shared/tickets/chat.ts so that these small, frequent actions do not load the tickets service.
import { actorOf } from '../domain/events.js';
import { limits } from '../domain/limits.js';
import type { Principal } from '../domain/roles.js';
import { NotFound } from '../errors.js';
import { allow } from '../limits/limiter.js';
import { channels, isSubscribed } from '../store/connections.js';
import { type ConnectionRef, unsubscribe } from './connections.js';
import { publishTyping } from './fanout.js';

export async function unsubscribeFromTicket(connection: ConnectionRef, ticketId: string): Promise<void> {
  await unsubscribe(connection, channels.ticket(ticketId));
}

/**
 * Only a connection subscribed to the ticket may say it is typing there: subscribing checked that its
 * person may see the ticket, and one GetItem here is cheaper than reading the ticket on every keystroke.
 * A person's typing reaches a ticket's subscribers at most once every 2 seconds (limits.typing); the
 * extra frames are dropped silently.
 */
export async function sendTyping(principal: Principal, connection: ConnectionRef, ticketId: string): Promise<void> {
  if (!(await isSubscribed(channels.ticket(ticketId), connection.connectionId))) throw new NotFound('ticket');
  const facts = { userId: principal.userId, ticketId };
  if (!(await allow('typing', `${principal.userId}#${ticketId}`, limits.typing, facts)).allowed) return;
  await publishTyping(ticketId, actorOf(principal), { except: connection.connectionId });
}
