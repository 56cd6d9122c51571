// Opaque, tamper-evident page cursors for every paged list (tickets, events, groups, …).
//
// A cursor is `<payload>.<mac>`: the base64url JSON of where the next page starts, and an HMAC-SHA256 over
// that payload and a *context* string naming the query it belongs to (who asked, with which filters). A
// cursor that was edited, made up, or issued for another query or another person fails the MAC check and
// is a 400 — never a 500, and never a way into someone else's page. The MAC key is derived from the JWT
// signing key (HKDF, its own label), so there is no further secret to deploy; functions that page need the
// route access `secrets: ['jwt']`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationFailed } from './errors.js';
import { derivedKey } from './secrets.js';
import type { Schema } from './validation.js';
import type * as z from './zod.js';

const key = (): Promise<Buffer> => derivedKey('atende page cursor v1');

const mac = (secret: Buffer, context: string, payload: string): Buffer =>
  createHmac('sha256', secret).update(context).update('\n').update(payload).digest();

/** Seals `position` (any JSON value) for the query named by `context`. */
export async function encodeCursor(position: unknown, context: string): Promise<string> {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${mac(await key(), context, payload).toString('base64url')}`;
}

/**
 * Opens a cursor made by `encodeCursor` with the same `context` and checks its shape with `schema`;
 * anything else is `400 validation_failed` on `path`.
 */
export async function decodeCursor<S extends Schema>(
  cursor: string,
  context: string,
  schema: S,
  path = 'cursor',
): Promise<z.output<S>> {
  const invalid = ValidationFailed.of(path, 'invalid or expired cursor');
  const [payload, signature, ...rest] = cursor.split('.');
  if (!payload || !signature || rest.length > 0) throw invalid;
  const expected = mac(await key(), context, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    throw invalid;
  }
  const parsed = schema.safeParse(position);
  if (!parsed.success) throw invalid;
  return parsed.data as z.output<S>;
}
