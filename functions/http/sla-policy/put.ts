import { normalizePolicy, SlaPolicyBody } from '../../../shared/domain/sla/policy.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { setSlaPolicy } from '../../../shared/tickets/sla-policy.js';

export const handler = httpHandler({
  action: 'sla_policy.update',
  roles: ['admin'],
  body: SlaPolicyBody,
  resource: { type: 'sla_policy' },
  async run({ principal, body }) {
    return ok(await setSlaPolicy(principal, normalizePolicy(body)));
  },
});
