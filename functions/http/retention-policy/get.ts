import { httpHandler, ok } from '../../../shared/http/handler.js';
import { readRetentionPolicy } from '../../../shared/privacy/retention.js';

export const handler = httpHandler({
  action: 'retention_policy.get',
  roles: ['admin', 'auditor'],
  resource: { type: 'retention_policy' },
  async run({ principal }) {
    return ok(await readRetentionPolicy(principal));
  },
});
