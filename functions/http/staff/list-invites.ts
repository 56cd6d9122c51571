import { listStaffInvites } from '../../../shared/auth/invitations.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'staff.invites',
  roles: ['admin'],
  async run({ principal }) {
    return ok({ items: await listStaffInvites(principal) });
  },
});
