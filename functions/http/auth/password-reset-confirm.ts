import { confirmPasswordReset } from '../../../shared/auth/password-reset.js';
import { PasswordResetConfirmBody } from '../../../shared/domain/users.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'auth.password_reset_confirm',
  auth: false,
  body: PasswordResetConfirmBody,
  async run({ body, sourceIp, setResource }) {
    const email = await confirmPasswordReset(body.token, body.password, sourceIp);
    if (email) setResource('account', email);
    return noContent();
  },
});
