import { writers } from '../../../shared/domain/roles.js';
import { TicketParams } from '../../../shared/domain/tickets.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';
import { setFollowing } from '../../../shared/tickets/followers.js';

export const handler = httpHandler({
  action: 'ticket.follow',
  roles: writers,
  params: TicketParams,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params }) {
    await setFollowing(principal, params.id, true);
    return noContent();
  },
});
