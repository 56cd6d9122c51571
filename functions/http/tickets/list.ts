import { ListTicketsQuery } from '../../../shared/domain/tickets.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { listTickets } from '../../../shared/tickets/reads.js';
import { listTicketsByDue } from '../../../shared/tickets/sla.js';

export const handler = httpHandler({
  action: 'ticket.list',
  query: ListTicketsQuery,
  resource: { type: 'ticket' },
  async run({ principal, query }) {
    return ok(await (query.sort === 'due' ? listTicketsByDue : listTickets)(principal, query));
  },
});
