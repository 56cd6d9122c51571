// What a ticket change pushes over WebSocket, after it is stored: each new event to the ticket's
// subscribers (in timeline order), the changed ticket, and — when a chat enters, leaves or changes in the
// agents' queue — `queue.updated` to agents. Fan-out never fails the write that caused it.

import type { TicketEvent } from '../domain/events.js';
import { isQueued, type TicketRecord, ticketView } from '../domain/tickets.js';
import { publishEvent, publishQueue, publishTicket } from '../realtime/fanout.js';

export async function publishChange(
  before: TicketRecord | undefined,
  after: TicketRecord,
  events: readonly TicketEvent[],
  /** The connection that sent the change: it gets its reply instead of the event push. */
  except?: string,
): Promise<void> {
  for (const event of events) await publishEvent(after.id, event, { except });
  const ticket = ticketView(after);
  await publishTicket(ticket);
  if ((before !== undefined && isQueued(before)) || isQueued(after)) await publishQueue(ticket);
}
