// "Forgot my password": a single-use link valid one hour. The request always answers the same (202) after
// the same work, for an address with an account or without: it only queues the request in the outbox, and
// the outbox job (shared/auth/outbox.ts) composes the e-mail, or nothing, within its interval. Choosing
// the new password signs the person out everywhere: sessions, access tokens and live connections.
import { ulid } from 'ulid';
import { config } from '../config.js';
import { limits } from '../domain/limits.js';
import { Gone } from '../errors.js';
import { recordRefusal } from '../limits/limiter.js';
import type { Composition } from '../mail/outbox.js';
import { passwordResetMail, webLink } from '../mail/templates.js';
import { closeConnectionsOf } from '../realtime/connections.js';
import { conditionFailed, transact, transactionConflict } from '../store/dynamo.js';
import { clearAttempts } from '../store/login-attempts.js';
import { newOutboxItem, queueItem } from '../store/outbox.js';
import { getReset, resetItem, resetLifetimeSeconds, spendResetItems } from '../store/password-resets.js';
import { takeOnlyRequest } from '../store/rate-limits.js';
import { findUserByEmail, getUser } from '../store/users.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-tokens.js';
import { hashPassword } from './passwords.js';

/**
 * Queues the e-mail, at most one per address per 15 minutes (api.md, "Limits against abuse"): the request
 * and its count are written together, and a request over the limit changes nothing (still 202). Answers
 * whether an e-mail was queued, for the request log.
 */
export async function requestPasswordReset(email: string, now = new Date()): Promise<boolean> {
  // Not looked up here: whether the address has an account must not change what this request does.
  const expiresAt = new Date(now.getTime() + resetLifetimeSeconds * 1000);
  const item = newOutboxItem({ id: ulid(), kind: 'password_reset', to: email }, { now, dueAt: now, expiresAt });
  try {
    await transact([takeOnlyRequest('reset-mail', email, limits.resetMail, now.getTime()), queueItem(item)]);
    return true;
  } catch (error) {
    if (!conditionFailed(error, 0)) throw error;
    recordRefusal('reset-mail', { email });
    return false;
  }
}

/** The outbox job's half of a request: a link and its e-mail, or nothing for an address without a password. */
export async function composePasswordReset(email: string, now: Date): Promise<Composition | undefined> {
  const user = await findUserByEmail(email);
  // Host-platform users sign in through the platform; they get a password by accepting an invitation.
  if (!user?.passwordHash) return undefined;
  const { token, hash } = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + resetLifetimeSeconds * 1000);
  return {
    mail: passwordResetMail({
      locale: user.locale,
      name: user.name,
      link: webLink(config.webUrl, 'reset-password', token),
    }),
    expiresAt,
    alongside: [resetItem(hash, { userId: user.id, expiresAt: expiresAt.toISOString() })],
  };
}

/**
 * Sets the new password; answers the account's e-mail (for the audit line). The person's own failures from
 * `sourceIp` are forgiven; lockouts others caused elsewhere lock only their addresses and run out alone.
 */
export async function confirmPasswordReset(
  token: string,
  password: string,
  sourceIp: string,
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
  // The same write ended the person's sessions and access tokens; their live connections end now.
  await closeConnectionsOf(reset.userId);
  const user = await getUser(reset.userId);
  if (user) await clearAttempts(user.email, sourceIp);
  return user?.email;
}
