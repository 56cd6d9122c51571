import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashPassword, needsRehash, productionCost, verifyPassword } from '../../../../shared/auth/passwords.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('password hashing', () => {
  it('uses scrypt N=2^17, r=8, p=1 with a per-user salt when no lower cost is configured', async () => {
    vi.stubEnv('ATENDE_SCRYPT_N', '');
    const hash = await hashPassword('correct horse battery');
    const [scheme, N, r, p, salt, key] = hash.split('$');
    expect({ scheme, N: Number(N), r: Number(r), p: Number(p) }).toEqual({ scheme: 'scrypt', ...productionCost });
    expect(productionCost).toEqual({ N: 131072, r: 8, p: 1 });
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterx', hash)).toBe(false);
    // Three hashes at full cost on a busy machine: more than the default 10 s is no failure.
  }, 120_000);

  it('gives two people with the same password different hashes', async () => {
    vi.stubEnv('ATENDE_SCRYPT_N', '1024');
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
  });

  it('verifies a hash made at another cost, and asks for a rehash when the cost went up', async () => {
    vi.stubEnv('ATENDE_SCRYPT_N', '1024');
    const cheap = await hashPassword('an old password');
    vi.stubEnv('ATENDE_SCRYPT_N', '4096');
    expect(await verifyPassword('an old password', cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword('a new password'))).toBe(false);
  });

  it('answers false, after the same work, when there is no hash or a garbled one', async () => {
    vi.stubEnv('ATENDE_SCRYPT_N', '1024');
    expect(await verifyPassword('whatever it is', undefined)).toBe(false);
    expect(await verifyPassword('whatever it is', 'scrypt$x$y$z$$')).toBe(false);
    expect(await verifyPassword('whatever it is', 'bcrypt$2b$10$abc')).toBe(false);
  });
});
