import { refresh } from '../../../shared/auth/sessions.js';
import { principalOf, RefreshBody } from '../../../shared/domain/users.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.refresh',
  auth: false,
  body: RefreshBody,
  async run({ body, setResource, setPrincipal }) {
    const session = await refresh(body.refreshToken);
    setResource('account', session.user.email);
    setPrincipal(principalOf(session.user, session.user.groups));
    return ok(session);
  },
});
