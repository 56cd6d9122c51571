import { platformSignIn } from '../../../shared/auth/sessions.js';
import { PlatformSignInBody, principalOf } from '../../../shared/domain/users.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.platform',
  auth: false,
  body: PlatformSignInBody,
  async run({ body, setResource, setPrincipal }) {
    const session = await platformSignIn(body.platformToken);
    setResource('account', session.user.email);
    setPrincipal(principalOf(session.user, session.user.groups));
    return ok(session);
  },
});
