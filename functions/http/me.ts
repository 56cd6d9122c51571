import { currentUser } from '../../shared/auth/me.js';
import { httpHandler, ok } from '../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'me.get',
  async run({ principal, setResource }) {
    setResource('user', principal.userId);
    return ok({ user: await currentUser(principal) });
  },
});
