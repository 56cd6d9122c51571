import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPlatformToken } from '../../../../shared/auth/platform-tokens.js';

const secret = 'unit-test-platform-secret-0123456789';
const key = new TextEncoder().encode(secret);
const now = new Date('2030-05-01T12:00:00Z');
const epoch = Math.floor(now.getTime() / 1000);

beforeAll(() => {
  process.env.PLATFORM_SECRET = secret;
});

const claims = { email: 'Bia@Example.com', name: 'Bia Lima' };
const sign = (payload: Record<string, unknown>, exp: number | undefined, signWith = key) => {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(epoch);
  if (exp !== undefined) jwt.setExpirationTime(exp);
  return jwt.sign(signWith);
};

describe('host platform tokens', () => {
  it('give the person the platform vouches for, e-mail normalised', async () => {
    const token = await sign({ ...claims, sub: 'plat-42' }, epoch + 300);
    expect(await verifyPlatformToken(token, now)).toEqual({
      subject: 'plat-42',
      email: 'bia@example.com',
      name: 'Bia Lima',
      // Remembered until then (with the clock slack), so the token works once.
      expiresAt: new Date((epoch + 300 + 30) * 1000),
    });
  });

  it('are refused without exp, or with exp more than 10 minutes ahead', async () => {
    await expect(verifyPlatformToken(await sign({ ...claims, sub: 'p' }, undefined), now)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    await expect(verifyPlatformToken(await sign({ ...claims, sub: 'p' }, epoch + 3600), now)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(await verifyPlatformToken(await sign({ ...claims, sub: 'p' }, epoch + 600), now)).toBeDefined();
  });

  it('are refused once expired', async () => {
    await expect(verifyPlatformToken(await sign({ ...claims, sub: 'p' }, epoch - 120), now)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('are refused when signed with another secret, or not signed at all', async () => {
    const other = new TextEncoder().encode('some-other-secret-of-enough-length');
    await expect(
      verifyPlatformToken(await sign({ ...claims, sub: 'p' }, epoch + 60, other), now),
    ).rejects.toMatchObject({
      status: 401,
    });
    const none = new UnsecuredJWT({ ...claims, sub: 'p' }).setExpirationTime(epoch + 60).encode();
    await expect(verifyPlatformToken(none, now)).rejects.toMatchObject({ status: 401 });
  });

  it('are refused without sub, email or name', async () => {
    for (const payload of [
      claims,
      { sub: 'p', name: 'x' },
      { sub: 'p', email: 'a@example.com' },
      { ...claims, sub: 'p', email: 'nope' },
    ]) {
      await expect(verifyPlatformToken(await sign(payload, epoch + 60), now)).rejects.toMatchObject({ status: 401 });
    }
  });
});
