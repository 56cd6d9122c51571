import { login } from '../../../shared/auth/sessions.js';
import { LoginBody } from '../../../shared/domain/users.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.login',
  auth: false,
  body: LoginBody,
  async run({ body, setResource }) {
    setResource('account', body.email);
    return ok(await login(body.email, body.password));
  },
});
