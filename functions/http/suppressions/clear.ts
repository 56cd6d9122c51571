import { SuppressionParams } from '../../../shared/domain/suppressions.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';
import { clearSuppression } from '../../../shared/mail/suppressions.js';

export const handler = httpHandler({
  action: 'suppression.clear',
  roles: ['admin'],
  params: SuppressionParams,
  resource: { type: 'suppression', param: 'email' },
  async run({ params }) {
    await clearSuppression(params.email);
    return noContent();
  },
});
