import { staff } from '../../../shared/domain/roles.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { getAssignmentPolicy } from '../../../shared/tickets/assignment.js';

export const handler = httpHandler({
  action: 'assignment_policy.get',
  roles: staff,
  resource: { type: 'assignment_policy' },
  async run({ principal }) {
    return ok(await getAssignmentPolicy(principal));
  },
});
