import { issueConnectionTicket } from '../../../shared/auth/connection-tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'realtime.ticket',
  async run({ principal }) {
    return created(await issueConnectionTicket(principal));
  },
});
