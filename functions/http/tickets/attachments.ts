import { writers } from '../../../shared/domain/roles.js';
import { AttachFilesBody, TicketParams } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { attachFiles } from '../../../shared/tickets/messages.js';

export const handler = httpHandler({
  action: 'ticket.attach',
  roles: writers,
  params: TicketParams,
  body: AttachFilesBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body }) {
    return created({ event: await attachFiles(principal, params.id, body.attachmentIds) });
  },
});
