import { AttachFilesBody, TicketParams } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { attachFiles } from '../../../shared/tickets/service.js';

export const handler = httpHandler({
  action: 'ticket.attach',
  roles: ['customer', 'platform_user', 'agent', 'admin'],
  params: TicketParams,
  body: AttachFilesBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body }) {
    return created({ event: await attachFiles(principal, params.id, body.attachmentIds) });
  },
});
