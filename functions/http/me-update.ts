import { updateMe } from '../../shared/auth/people.js';
import { PatchMeBody } from '../../shared/domain/users.js';
import { httpHandler, ok } from '../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'me.update',
  body: PatchMeBody,
  async run({ principal, body, setResource }) {
    setResource('user', principal.userId);
    return ok({ user: await updateMe(principal, body) });
  },
});
