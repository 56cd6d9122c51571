// One-click unsubscribe (RFC 8058): every notification carries a link that turns its person's e-mail
// notifications off, with no sign-in. The token is `<userId>.<mac>` (base64url): an HMAC-SHA256 over the
// purpose and the person's id, under a key derived from the access-token key for this purpose alone, so it
// opens nothing else and needs no storage or expiry. A forged token, or one whose id was swapped for
// someone else's, fails the check and changes nothing; the route answers the same either way.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../config.js';
import { derivedKey } from '../secrets.js';
import { setEmailNotifications } from '../store/users.js';

const purpose = 'atende unsubscribe v1';

const mac = async (userId: string): Promise<Buffer> =>
  createHmac('sha256', await derivedKey(purpose))
    .update(`unsubscribe\n${userId}`)
    .digest();

export async function unsubscribeToken(userId: string): Promise<string> {
  return `${Buffer.from(userId).toString('base64url')}.${(await mac(userId)).toString('base64url')}`;
}

/** The person a genuine token names; undefined for anything else. */
export async function tokenOwner(token: string): Promise<string | undefined> {
  const [id, signature, ...rest] = token.split('.');
  if (!id || !signature || rest.length > 0) return undefined;
  const userId = Buffer.from(id, 'base64url').toString();
  const expected = await mac(userId);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : undefined;
}

/** Where a mail client POSTs (RFC 8058) to unsubscribe: the API's route, with the token in the query. */
export async function unsubscribeUrl(userId: string): Promise<string> {
  const base = config.apiUrl.replace(/\/+$/, '');
  return `${base}/notifications/unsubscribe?token=${encodeURIComponent(await unsubscribeToken(userId))}`;
}

/** Turns off the e-mail notifications of the token's person; a token that is not genuine does nothing. */
export async function unsubscribe(token: string): Promise<void> {
  const userId = await tokenOwner(token);
  if (userId !== undefined) await setEmailNotifications(userId, false);
}
