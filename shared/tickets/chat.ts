// What the chat's WebSocket actions do around the ticket itself: who gets subscribed, and what a client
// that (re)subscribes has missed. The ticket logic — creating, posting, who may
// see what, the timeline — is in the other modules of shared/tickets/; the pushes that follow a write too.
import type { TicketEvent } from '../domain/events.js';
import type { Principal } from '../domain/roles.js';
import { maxSubjectLength, type Ticket } from '../domain/tickets.js';
import { visibleEvents } from '../domain/visibility.js';
import { type ConnectionRef, subscribe } from '../realtime/connections.js';
import type { ChatStart } from '../realtime/frames.js';
import { channels } from '../store/connections.js';
import { queryEvents } from '../store/events.js';
import { createTicket } from './create.js';
import { postMessage } from './messages.js';
import { getVisibleTicket } from './reads.js';

/**
 * Opens a chat: a ticket on the `chat` channel whose description is the first message (which the timeline
 * also holds as its first `message` event), with the sender's connection subscribed to it. The reply
 * carries the timeline as of that subscription, so a message an agent sent in between is not lost.
 */
export async function startChat(
  principal: Principal,
  connection: ConnectionRef,
  input: ChatStart,
): Promise<{ ticket: Ticket; events: TicketEvent[] }> {
  const { ticket } = await createTicket(
    principal,
    {
      topic: input.topic,
      subject: chatSubject(input.message),
      description: input.message,
      ...(input.groupId ? { groupId: input.groupId } : {}),
      ...(input.documentRef ? { documentRef: input.documentRef } : {}),
      ...(input.attachmentIds ? { attachmentIds: input.attachmentIds } : {}),
    },
    {
      channel: 'chat',
      connectionId: connection.connectionId,
      ...(input.clientMessageId ? { idempotencyKey: `chat.start:${input.clientMessageId}` } : {}),
    },
  );
  await subscribe(connection, channels.ticket(ticket.id), principal, ticket.groupId);
  const { events } = await timelineAfter(principal, ticket.id, undefined);
  return { ticket, events };
}

/** The words a chat starts with are its subject: its first line, shortened to fit a list. */
export function chatSubject(message: string): string {
  const firstLine = message.trim().split('\n', 1)[0]?.replace(/\s+/g, ' ').trim() ?? '';
  const chars = Array.from(firstLine);
  return chars.length <= chatSubjectLength ? firstLine : `${chars.slice(0, chatSubjectLength - 1).join('')}…`;
}
const chatSubjectLength = Math.min(120, maxSubjectLength);

export async function sendMessage(
  principal: Principal,
  connection: ConnectionRef,
  input: { ticketId: string; body: string; clientMessageId: string; attachmentIds?: string[] },
): Promise<TicketEvent> {
  const { event } = await postMessage(
    principal,
    input.ticketId,
    {
      body: input.body,
      clientMessageId: input.clientMessageId,
      ...(input.attachmentIds ? { attachmentIds: input.attachmentIds } : {}),
    },
    { connectionId: connection.connectionId },
  );
  return event;
}

/**
 * Follows a ticket from this connection and answers what happened after `after` (the whole timeline
 * without it). Subscribing comes first and reading second, so an event stored meanwhile is in the answer,
 * pushed, or both — never neither; a client applies each event id once.
 */
export async function subscribeToTicket(
  principal: Principal,
  connection: ConnectionRef,
  ticketId: string,
  after: string | undefined,
): Promise<{ missed: TicketEvent[]; more: boolean }> {
  const ticket = await getVisibleTicket(principal, ticketId);
  await subscribe(connection, channels.ticket(ticketId), principal, ticket.groupId);
  const { events, more } = await timelineAfter(principal, ticketId, after);
  return { missed: events, more };
}

/**
 * A reply must stay within API Gateway's 128 KB message; the events it carries stop short of this many bytes
 * (10 000-character messages make 3 or more per reply), and `more` tells the client to ask again after the
 * last one it got.
 */
export const repliedEventsBudget = 96 * 1024;
const pageSize = 100;

/**
 * The events `principal` sees on a ticket whose visibility the caller has checked, after `after`, oldest
 * first, within budget.
 */
async function timelineAfter(principal: Principal, ticketId: string, after: string | undefined) {
  const events: TicketEvent[] = [];
  let size = 0;
  let from = after;
  for (;;) {
    const page = await queryEvents(ticketId, from, pageSize);
    for (const event of visibleEvents(principal.role, page.items)) {
      size += Buffer.byteLength(JSON.stringify(event));
      if (size > repliedEventsBudget) return { events, more: true };
      events.push(event);
    }
    // Read on from the last event read, seen or not: a page of notes alone must not end the timeline.
    const last = page.items[page.items.length - 1];
    if (!page.more || !last) return { events, more: false };
    from = last.id;
  }
}
