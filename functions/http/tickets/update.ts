import { writers } from '../../../shared/domain/roles.js';
import { PatchTicketBody, TicketParams } from '../../../shared/domain/tickets.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { parseIfMatch } from '../../../shared/http/if-match.js';
import { updateTicket } from '../../../shared/tickets/changes.js';

export const handler = httpHandler({
  action: 'ticket.update',
  roles: writers,
  params: TicketParams,
  body: PatchTicketBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body, headers }) {
    const expectedVersion = parseIfMatch(headers['if-match']);
    const ticket = await updateTicket(principal, params.id, body, { expectedVersion });
    return ok({ ticket }, { etag: `"${ticket.version}"` });
  },
});
