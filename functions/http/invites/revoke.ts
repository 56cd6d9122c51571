import { revokeInvite } from '../../../shared/auth/invitations.js';
import { InviteParams } from '../../../shared/domain/invites.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.revoke',
  params: InviteParams,
  resource: { type: 'invite', param: 'inviteId' },
  async run({ principal, params }) {
    await revokeInvite(principal, params.inviteId);
    return noContent();
  },
});
