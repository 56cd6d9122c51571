// A deployment's first admin (`npm run admin:invite`): an admin account without a password and an e-mail
// whose link (a password-reset link valid as long as an invitation) lets them choose one.
import { ulid } from 'ulid';
import { config } from '../config.js';
import { type Delivery, inviteLifetimeSeconds } from '../domain/invites.js';
import { defaultLocale, type Locale, type User } from '../domain/users.js';
import { Conflict } from '../errors.js';
import { queueEmail } from '../mail/outbox.js';
import { adminWelcomeMail, webLink } from '../mail/templates.js';
import { transact } from '../store/dynamo.js';
import { resetItem } from '../store/password-resets.js';
import { createUser, findUserByEmail } from '../store/users.js';
import { newOpaqueToken } from './opaque-tokens.js';
import { deliverNow } from './outbox.js';

export async function inviteAdmin(
  input: { email: string; name: string; locale?: Locale },
  now = new Date(),
): Promise<{ userId: string; created: boolean; delivery?: Delivery }> {
  let user = await findUserByEmail(input.email);
  if (user && user.role !== 'admin') throw new Conflict(`${input.email} already has an account as ${user.role}`);
  const created = !user;
  if (!user) {
    user = {
      id: ulid(),
      email: input.email,
      name: input.name,
      role: 'admin',
      locale: input.locale ?? defaultLocale,
      createdAt: now.toISOString(),
    } satisfies User;
    await createUser(user);
  }
  const { token, hash } = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + inviteLifetimeSeconds * 1000);
  const mail = adminWelcomeMail({
    locale: user.locale,
    name: user.name,
    link: webLink(config.webUrl, 'reset-password', token),
    expiresAt: expiresAt.toISOString(),
  });
  const queued = await queueEmail('password_reset', { to: user.email, ...mail }, { now, expiresAt });
  await transact([resetItem(hash, { userId: user.id, expiresAt: expiresAt.toISOString() }), queued.write]);
  return { userId: user.id, created, delivery: await deliverNow(queued.item, now) };
}
