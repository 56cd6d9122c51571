// Tokens from the host platform (the product that embeds the chat): HS256 with the shared secret,
// `sub`, `email`, `name` and `exp` required, and `exp` at most 10 minutes ahead, so a leaked token is
// short-lived even if the platform mints long ones.
import { errors, jwtVerify } from 'jose';
import { Email, PersonName } from '../domain/users.js';
import { Unauthenticated } from '../errors.js';
import { secrets } from '../secrets.js';
import * as z from '../zod.js';

export const platformTokenMaxSeconds = 10 * 60;
// Clocks of two systems drift; a few seconds of slack keep honest tokens working.
const clockToleranceSeconds = 30;

const Claims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(256)),
  email: Email,
  name: PersonName,
  exp: z.number(),
});

export interface PlatformIdentity {
  subject: string;
  email: string;
  name: string;
  /** When the token stops being valid: until then, its use is remembered so that it works once. */
  expiresAt: Date;
}

export async function verifyPlatformToken(token: string, now = new Date()): Promise<PlatformIdentity> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await secrets.platformKey(), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: clockToleranceSeconds,
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new Unauthenticated('platform token is invalid or expired');
    throw error;
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw new Unauthenticated('platform token lacks sub, email or name');
  const { sub, email, name, exp } = claims.data;
  if (exp > now.getTime() / 1000 + platformTokenMaxSeconds + clockToleranceSeconds) {
    throw new Unauthenticated('platform token lives longer than 10 minutes');
  }
  return { subject: sub, email, name, expiresAt: new Date((exp + clockToleranceSeconds) * 1000) };
}
