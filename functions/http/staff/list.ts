import { listStaff } from '../../../shared/auth/people.js';
import { staff } from '../../../shared/domain/roles.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'staff.list',
  roles: staff,
  async run() {
    return ok({ items: await listStaff() });
  },
});
