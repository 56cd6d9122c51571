import { AssignmentPolicyBody } from '../../../shared/domain/assignment.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { setAssignmentPolicy } from '../../../shared/tickets/assignment.js';

export const handler = httpHandler({
  action: 'assignment_policy.update',
  roles: ['admin'],
  body: AssignmentPolicyBody,
  resource: { type: 'assignment_policy' },
  async run({ principal, body }) {
    return ok(await setAssignmentPolicy(principal, body));
  },
});
