import { resendInvite } from '../../../shared/auth/invitations.js';
import { InviteParams } from '../../../shared/domain/invites.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.resend',
  params: InviteParams,
  resource: { type: 'invite', param: 'inviteId' },
  async run({ principal, params }) {
    return ok({ invite: await resendInvite(principal, params.inviteId) });
  },
});
