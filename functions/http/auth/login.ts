import { login } from '../../../shared/auth/sessions.js';
import { LoginBody, principalOf } from '../../../shared/domain/users.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.login',
  auth: false,
  body: LoginBody,
  async run({ body, sourceIp, setResource, setPrincipal }) {
    setResource('account', body.email);
    const session = await login(body.email, body.password, sourceIp);
    setPrincipal(principalOf(session.user, session.user.groups));
    return ok(session);
  },
});
