import { logout } from '../../../shared/auth/sessions.js';
import { RefreshBody } from '../../../shared/domain/users.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.logout',
  auth: false,
  body: RefreshBody,
  async run({ body }) {
    await logout(body.refreshToken);
    return noContent();
  },
});
