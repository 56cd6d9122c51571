import { listStaff } from '../../../shared/auth/people.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'staff.list',
  roles: ['admin', 'agent', 'auditor'],
  async run() {
    return ok({ items: await listStaff() });
  },
});
