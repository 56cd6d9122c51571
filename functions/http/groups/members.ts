import { listMembers } from '../../../shared/auth/groups.js';
import { GroupParams } from '../../../shared/domain/groups.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'group.members',
  params: GroupParams,
  resource: { type: 'group', param: 'groupId' },
  async run({ principal, params }) {
    return ok({ items: await listMembers(principal, params.groupId) });
  },
});
