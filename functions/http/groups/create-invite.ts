import { createInvite } from '../../../shared/auth/invitations.js';
import { GroupParams } from '../../../shared/domain/groups.js';
import { CreateInviteBody } from '../../../shared/domain/invites.js';
import { created, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.create',
  params: GroupParams,
  body: CreateInviteBody,
  resource: { type: 'group', param: 'groupId' },
  async run({ principal, params, body, setResource }) {
    const invite = await createInvite(principal, params.groupId, body);
    setResource('invite', invite.id);
    return created({ invite });
  },
});
