// "Forgot my password": a single-use link valid one hour. The request always answers the same (202), for
// an address with an account or without; choosing the new password signs the person out everywhere.
import { config } from '../config.js';
import { Gone } from '../errors.js';
import { deliverNow, queueEmail } from '../mail/outbox.js';
import { passwordResetMail, webLink } from '../mail/templates.js';
import { conditionFailed, transact, transactionConflict } from '../store/dynamo.js';
import { clearAttempts } from '../store/login-attempts.js';
import { getReset, resetItem, resetLifetimeSeconds, spendResetItems } from '../store/password-resets.js';
import { findUserByEmail, getUser } from '../store/users.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-tokens.js';
import { hashPassword } from './passwords.js';

export async function requestPasswordReset(email: string, now = new Date()): Promise<void> {
  const user = await findUserByEmail(email);
  // Host-platform users sign in through the platform; they get a password by accepting an invitation.
  if (!user?.passwordHash) return;
  const { token, hash } = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + resetLifetimeSeconds * 1000);
  const mail = passwordResetMail({
    locale: user.locale,
    name: user.name,
    link: webLink(config.webUrl, 'reset-password', token),
  });
  const queued = await queueEmail('password_reset', { to: user.email, ...mail }, { now, expiresAt });
  await transact([resetItem(hash, { userId: user.id, expiresAt: expiresAt.toISOString() }), queued.write]);
  await deliverNow(queued.item, now);
}

/** Sets the new password; answers the account's e-mail (for the audit line). */
export async function confirmPasswordReset(
  token: string,
  password: string,
  now = new Date(),
): Promise<string | undefined> {
  const hash = hashOpaqueToken(token);
  const reset = await getReset(hash);
  if (!reset || Date.parse(reset.expiresAt) <= now.getTime()) throw new Gone();
  const passwordHash = await hashPassword(password);
  try {
    await transact(spendResetItems(hash, reset, passwordHash, now));
  } catch (error) {
    if (conditionFailed(error) || transactionConflict(error)) throw new Gone();
    throw error;
  }
  const user = await getUser(reset.userId);
  if (user) await clearAttempts(user.email);
  return user?.email;
}
