import { writers } from '../../../shared/domain/roles.js';
import { PostMessageBody, TicketParams } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { postMessage } from '../../../shared/tickets/messages.js';

export const handler = httpHandler({
  action: 'ticket.message',
  roles: writers,
  params: TicketParams,
  body: PostMessageBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body }) {
    const { event } = await postMessage(principal, params.id, body);
    return created({ event });
  },
});
