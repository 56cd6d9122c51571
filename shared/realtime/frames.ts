// The frames of the WebSocket API (docs/api.md, "Realtime"): the fields each action takes (beyond `action` and
// `requestId`, which the pipeline handles), and what the server pushes. Field rules are the tickets'
// own schemas, so a message is the same 1–10 000 characters whichever way it arrives.
import type { Actor, TicketEvent } from '../domain/events.js';
import { ClientMessageId, CreateTicketBody, ListEventsQuery, PostMessageBody, type Ticket } from '../domain/tickets.js';
import { ValidationFailed } from '../errors.js';
import * as z from '../zod.js';

/**
 * The `action` values a client may send. infra/routes.ts gives each one a route (API Gateway routes a frame
 * by its `action`), and a test checks that the table and this list agree.
 */
export const clientActions = [
  'chat.start',
  'message.send',
  'ticket.subscribe',
  'ticket.unsubscribe',
  'typing',
  'ping',
] as const;
export type ClientAction = (typeof clientActions)[number];

/** What $default answers: the frame named no action, or one that does not exist. */
export function unknownAction(action: unknown): ValidationFailed {
  const valid = `valid actions: ${clientActions.join(', ')}`;
  return ValidationFailed.of('action', action === undefined ? `required; ${valid}` : `unknown action; ${valid}`);
}

// Any id: one that is not a ticket's is simply not found, as over HTTP. Bounded, as it becomes part of a key.
const TicketId = z.string().check(z.minLength(1), z.maxLength(64));

/** `ticket.unsubscribe` and `typing`. */
export const TicketFrame = z.strictObject({ ticketId: TicketId });

export const ChatStartFrame = z.strictObject({
  topic: CreateTicketBody.shape.topic,
  /** The first message; it is also the ticket's description. */
  message: PostMessageBody.shape.body,
  groupId: z.optional(CreateTicketBody.shape.groupId),
  documentRef: CreateTicketBody.shape.documentRef,
  /** Files for the first message, uploaded with POST /attachments as for the portal. */
  attachmentIds: CreateTicketBody.shape.attachmentIds,
  /** Optional here (an addition to the contract): sending chat.start again with it opens no second chat. */
  clientMessageId: z.optional(ClientMessageId),
});
export type ChatStart = z.output<typeof ChatStartFrame>;

export const MessageSendFrame = z.strictObject({
  ticketId: TicketId,
  body: PostMessageBody.shape.body,
  clientMessageId: ClientMessageId,
  attachmentIds: PostMessageBody.shape.attachmentIds,
});

export const SubscribeFrame = z.strictObject({ ticketId: TicketId, after: ListEventsQuery.shape.after });

export interface TicketEventFrame {
  type: 'event';
  ticketId: string;
  event: TicketEvent;
}
export interface TicketChangeFrame {
  type: 'ticket.updated' | 'queue.updated';
  ticket: Ticket;
}
export interface TypingFrame {
  type: 'typing';
  ticketId: string;
  actor: Actor;
}

/** What the server sends a connection that did not ask for it. */
export type PushFrame = TicketEventFrame | TicketChangeFrame | TypingFrame;

/** A reply to the sender of a frame; the pipeline adds the `requestId` it echoes. */
export interface ReplyFrame {
  type: string;
  [field: string]: unknown;
}
