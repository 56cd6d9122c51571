// What a ticket change pushes over WebSocket, after it is stored: each new event to the ticket's
// subscribers (in timeline order), the changed ticket, and — when a chat enters, leaves or changes in the
// agents' queue — `queue.updated` to agents. Fan-out never fails the write that caused it.

import type { TicketEvent } from '../domain/events.js';
import { isQueued, type TicketRecord, ticketView } from '../domain/tickets.js';
import { eventPush, publishQueue, publishToTicket, ticketPush } from '../realtime/fanout.js';

/**
 * The connection that sent a change and the events its reply carries: it gets those in the reply instead
 * of as pushes, and any other event of the change (a status change a message caused) pushed like everyone.
 */
export interface Sender {
  connectionId: string;
  replied: readonly TicketEvent[];
}

export async function publishChange(
  before: TicketRecord | undefined,
  after: TicketRecord,
  events: readonly TicketEvent[],
  sender?: Sender,
): Promise<void> {
  const ticket = ticketView(after);
  // One look-up of the ticket's subscribers for the whole change.
  await publishToTicket(after.id, [
    ...events.map((event) =>
      eventPush(after.id, event, sender?.replied.includes(event) ? sender.connectionId : undefined),
    ),
    ticketPush(ticket),
  ]);
  if ((before !== undefined && isQueued(before)) || isQueued(after)) await publishQueue(ticket);
}
