// "Same answer, and the same work, for an unknown e-mail and a wrong password": counted at scrypt itself.
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});

const { hashPassword, verifyPassword } = await import('../../../../shared/auth/passwords.js');
const scrypt = vi.mocked(crypto.scrypt);

afterEach(() => {
  vi.unstubAllEnvs();
  scrypt.mockClear();
});

const costOfCall = (index: number) => {
  const options = scrypt.mock.calls[index]?.[3] as crypto.ScryptOptions | undefined;
  return { N: options?.N, r: options?.r, p: options?.p };
};

describe('verifying a password', () => {
  it('derives one key at the same cost whether the account exists or not', async () => {
    vi.stubEnv('ATENDE_SCRYPT_N', '2048');
    const stored = await hashPassword('the real password');
    scrypt.mockClear();
    expect(await verifyPassword('a wrong password', stored)).toBe(false);
    expect(await verifyPassword('a wrong password', undefined)).toBe(false);
    expect(scrypt).toHaveBeenCalledTimes(2);
    expect(costOfCall(1)).toEqual(costOfCall(0));
    expect(costOfCall(0)).toEqual({ N: 2048, r: 8, p: 1 });
  });
});
