import { TicketParams } from '../../../shared/domain/tickets.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { getVisibleTicket } from '../../../shared/tickets/reads.js';

export const handler = httpHandler({
  action: 'ticket.get',
  params: TicketParams,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params }) {
    const ticket = await getVisibleTicket(principal, params.id);
    return ok({ ticket }, { etag: `"${ticket.version}"` });
  },
});
