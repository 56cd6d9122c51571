import { writers } from '../../../shared/domain/roles.js';
import { PatchTicketBody, TicketParams } from '../../../shared/domain/tickets.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { updateTicket } from '../../../shared/tickets/service.js';

export const handler = httpHandler({
  action: 'ticket.update',
  roles: writers,
  params: TicketParams,
  body: PatchTicketBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body, headers }) {
    const ticket = await updateTicket(principal, params.id, body, { ifMatch: headers['if-match'] });
    return ok({ ticket }, { etag: `"${ticket.version}"` });
  },
});
