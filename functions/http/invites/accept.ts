import { acceptInvite } from '../../../shared/auth/invitations.js';
import { AcceptInviteBody } from '../../../shared/domain/invites.js';
import { created, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.accept',
  auth: false,
  body: AcceptInviteBody,
  async run({ body, setResource }) {
    const { inviteId, ...session } = await acceptInvite(body);
    setResource('invite', inviteId);
    return created(session);
  },
});
