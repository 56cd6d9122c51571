import { ticketOpeners } from '../../../shared/domain/roles.js';
import { CreateTicketBody } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { createTicket } from '../../../shared/tickets/create.js';

export const handler = httpHandler({
  action: 'ticket.create',
  roles: ticketOpeners,
  body: CreateTicketBody,
  resource: { type: 'ticket' },
  async run({ principal, body, headers, setResource }) {
    const { ticket, replayed } = await createTicket(principal, body, { idempotencyKey: headers['idempotency-key'] });
    setResource('ticket', ticket.id);
    // A replay answers exactly as the first request did, and says so.
    return created({ ticket }, { etag: `"${ticket.version}"`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
  },
});
