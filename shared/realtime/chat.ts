// What the chat's WebSocket actions do beyond the ticket itself: who gets subscribed, who is told.
// The ticket logic (creating, posting, visibility, the timeline) is shared/domain/tickets.ts's.
import type { Principal } from '../domain/roles.js';
import { NotFound } from '../errors.js';
import { channels, isSubscribed } from '../store/connections.js';
import { type ConnectionRef, unsubscribe } from './connections.js';
import { publishTyping } from './fanout.js';
import { actorOf } from './frames.js';

/**
 * Only a connection subscribed to the ticket may say it is typing there: subscribing checked that its
 * person may see the ticket, and one GetItem here is cheaper than reading the ticket on every keystroke.
 */
export async function sendTyping(principal: Principal, connection: ConnectionRef, ticketId: string): Promise<void> {
  if (!(await isSubscribed(channels.ticket(ticketId), connection.connectionId))) throw new NotFound('ticket');
  await publishTyping(ticketId, actorOf(principal), { except: connection.connectionId });
}

export async function unsubscribeFromTicket(connection: ConnectionRef, ticketId: string): Promise<void> {
  await unsubscribe(connection, channels.ticket(ticketId));
}
