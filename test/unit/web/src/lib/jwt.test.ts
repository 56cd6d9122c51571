import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { unverifiedClaims } from '../../../../../web/src/lib/jwt.js';

describe('reading who a host platform token names (the embedded chat compares it with its kept session)', () => {
  it('reads the claims of a signed token, accents included', async () => {
    const token = await new SignJWT({ email: 'maria@example.com', name: 'Maria Ávila' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('demo:maria')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-local-platform-secret-of-32-bytes-or-more'));
    expect(unverifiedClaims(token)).toMatchObject({
      sub: 'demo:maria',
      email: 'maria@example.com',
      name: 'Maria Ávila',
    });
  });

  it('gives nothing for garbage instead of throwing', () => {
    for (const garbage of ['', 'not a token', 'a.b.c', 'a.!!!.c', `x.${btoa('[1,2]')}.y`, `x.${btoa('"text"')}.y`]) {
      expect(unverifiedClaims(garbage)).toBeUndefined();
    }
  });
});
