import { listGroupInvites } from '../../../shared/auth/invitations.js';
import { GroupParams } from '../../../shared/domain/groups.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.list',
  params: GroupParams,
  resource: { type: 'group', param: 'groupId' },
  async run({ principal, params }) {
    return ok({ items: await listGroupInvites(principal, params.groupId) });
  },
});
