import { staff } from '../../../shared/domain/roles.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { getSlaPolicy } from '../../../shared/tickets/sla-policy.js';

export const handler = httpHandler({
  action: 'sla_policy.get',
  roles: staff,
  resource: { type: 'sla_policy' },
  async run({ principal }) {
    return ok(await getSlaPolicy(principal));
  },
});
