// The frames of the WebSocket API (api.md, "Realtime"): what clients send and what the server pushes.
import { z } from 'zod';
import { wsRoutes } from '../../infra/routes.js';
import type { Principal, Role } from '../domain/roles.js';
import { ValidationFailed } from '../errors.js';

/** The `action` values a client may send: every WebSocket route but API Gateway's own. */
export const clientActions: readonly string[] = wsRoutes.map((r) => r.routeKey).filter((key) => !key.startsWith('$'));

/** What $default answers: the frame named no action, or one that does not exist. */
export function unknownAction(action: unknown): ValidationFailed {
  const valid = `valid actions: ${clientActions.join(', ')}`;
  return ValidationFailed.of('action', action === undefined ? `required; ${valid}` : `unknown action; ${valid}`);
}

// Replaced by the ticket types of shared/domain/tickets.ts once they land.
export interface Ticket {
  id: string;
}
export interface TicketEvent {
  id: string;
  ticketId: string;
}

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

export const actorOf = (principal: Principal): Actor => ({
  id: principal.userId,
  name: principal.name,
  role: principal.role,
});

const ticketId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ticket id');

/** `ticket.unsubscribe` and `typing`. */
export const TicketFrame = z.strictObject({ ticketId });

export interface TicketEventFrame {
  type: 'event';
  ticketId: string;
  event: TicketEvent;
}
export interface TicketFrame {
  type: 'ticket.updated' | 'queue.updated';
  ticket: Ticket;
}
export interface TypingFrame {
  type: 'typing';
  ticketId: string;
  actor: Actor;
}

/** What the server sends a connection that did not ask for it. */
export type PushFrame = TicketEventFrame | TicketFrame | TypingFrame;

/** A reply to the sender of a frame; the pipeline adds the `requestId` it echoes. */
export interface ReplyFrame {
  type: string;
  [field: string]: unknown;
}
