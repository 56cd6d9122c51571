import { logoutAll } from '../../../shared/auth/people.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.logout_all',
  async run({ principal, setResource }) {
    setResource('user', principal.userId);
    await logoutAll(principal);
    return noContent();
  },
});
