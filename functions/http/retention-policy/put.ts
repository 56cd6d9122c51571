import { RetentionPolicyBody } from '../../../shared/domain/privacy.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { setRetentionPolicy } from '../../../shared/privacy/retention.js';

export const handler = httpHandler({
  action: 'retention_policy.update',
  roles: ['admin'],
  body: RetentionPolicyBody,
  resource: { type: 'retention_policy' },
  async run({ principal, body }) {
    return ok(await setRetentionPolicy(principal, body));
  },
});
