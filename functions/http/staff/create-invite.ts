import { createStaffInvite } from '../../../shared/auth/invitations.js';
import { CreateStaffInviteBody } from '../../../shared/domain/invites.js';
import { created, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'staff.invite',
  roles: ['admin'],
  body: CreateStaffInviteBody,
  async run({ principal, body, setResource }) {
    // The target is a person who may not have an account yet: the audit line names them by e-mail.
    setResource('account', body.email);
    return created({ invite: await createStaffInvite(principal, body) });
  },
});
