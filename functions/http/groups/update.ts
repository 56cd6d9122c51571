import { updateGroup } from '../../../shared/auth/groups.js';
import { GroupParams, PatchGroupBody } from '../../../shared/domain/groups.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'group.update',
  roles: ['admin'],
  params: GroupParams,
  body: PatchGroupBody,
  resource: { type: 'group', param: 'groupId' },
  async run({ params, body }) {
    return ok({ group: await updateGroup(params.groupId, body) });
  },
});
