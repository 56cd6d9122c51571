import { ListTicketsQuery } from '../../../shared/domain/tickets.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { listTickets } from '../../../shared/tickets/reads.js';

export const handler = httpHandler({
  action: 'ticket.list',
  query: ListTicketsQuery,
  resource: { type: 'ticket' },
  async run({ principal, query }) {
    return ok(await listTickets(principal, query));
  },
});
