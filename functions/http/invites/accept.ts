import { acceptInvite } from '../../../shared/auth/invitations.js';
import { AcceptInviteBody } from '../../../shared/domain/invites.js';
import { principalOf } from '../../../shared/domain/users.js';
import { created, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'invite.accept',
  auth: false,
  body: AcceptInviteBody,
  async run({ body, sourceIp, setResource, setPrincipal }) {
    const { inviteId, ...session } = await acceptInvite(body, sourceIp);
    setResource('invite', inviteId);
    setPrincipal(principalOf(session.user, session.user.groups));
    return created(session);
  },
});
