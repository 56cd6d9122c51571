import { agents } from '../../../shared/domain/roles.js';
import { GrantAccessBody, TicketParams } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { grantAccess } from '../../../shared/tickets/grant-access.js';

export const handler = httpHandler({
  action: 'ticket.grant_access',
  roles: agents,
  params: TicketParams,
  body: GrantAccessBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body }) {
    return created({ invite: await grantAccess(principal, params.id, body.groupId) });
  },
});
