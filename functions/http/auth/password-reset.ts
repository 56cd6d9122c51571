import { requestPasswordReset } from '../../../shared/auth/password-reset.js';
import { PasswordResetBody } from '../../../shared/domain/users.js';
import { accepted, httpHandler } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.password_reset',
  auth: false,
  body: PasswordResetBody,
  async run({ body, setResource }) {
    setResource('account', body.email);
    await requestPasswordReset(body.email);
    return accepted();
  },
});
