import { ListEventsQuery, TicketParams } from '../../../shared/domain/tickets.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { listEvents } from '../../../shared/tickets/reads.js';

export const handler = httpHandler({
  action: 'ticket.events',
  params: TicketParams,
  query: ListEventsQuery,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, query }) {
    return ok(await listEvents(principal, params.id, query));
  },
});
