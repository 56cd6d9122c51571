import { writers } from '../../../shared/domain/roles.js';
import { RateBody } from '../../../shared/domain/satisfaction.js';
import { TicketParams } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { rateTicket } from '../../../shared/tickets/satisfaction.js';

export const handler = httpHandler({
  action: 'ticket.rate',
  roles: writers,
  params: TicketParams,
  body: RateBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body }) {
    return created({ event: await rateTicket(principal, params.id, body) });
  },
});
