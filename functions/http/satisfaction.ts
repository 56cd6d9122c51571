import { RateByLinkBody } from '../../shared/domain/satisfaction.js';
import { created, httpHandler } from '../../shared/http/handler.js';
import { rateByLink } from '../../shared/tickets/satisfaction.js';

export const handler = httpHandler({
  action: 'ticket.rate_by_link',
  auth: false,
  body: RateByLinkBody,
  async run({ body, setResource }) {
    const { token, ...rating } = body;
    const event = await rateByLink(token, rating);
    setResource('ticket', event.ticketId);
    return created({ event });
  },
});
