import { EraseBody } from '../../../shared/domain/privacy.js';
import { UserParams } from '../../../shared/domain/users.js';
import { accepted, httpHandler } from '../../../shared/http/handler.js';
import { requestErasure } from '../../../shared/privacy/erasure.js';

// The request log line names the admin (principal) and whom the erasure concerns (resource).
export const handler = httpHandler({
  action: 'user.erase',
  roles: ['admin'],
  params: UserParams,
  body: EraseBody,
  resource: { type: 'user', param: 'userId' },
  async run({ principal, params, body }) {
    return accepted({ erasure: await requestErasure(principal, params.userId, body.reason) });
  },
});
