// Password hashing with scrypt (OWASP's minimum: N=2^17, r=8, p=1). The parameters travel with each
// hash (`scrypt$N$r$p$salt$hash`) so the cost can be raised later without locking anyone out.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { config } from '../config.js';

export const productionCost = { N: 2 ** 17, r: 8, p: 1 } as const;
const keyLength = 32;
const saltLength = 16;
// N=2^17, r=8 needs 128 * N * r = 128 MiB; Node refuses above maxmem, whose default is 32 MiB.
const maxmem = 256 * 1024 * 1024;

export interface Cost {
  N: number;
  r: number;
  p: number;
}

const currentCost = (): Cost => ({ ...productionCost, N: config.scryptCost ?? productionCost.N });

function derive(password: string, salt: Buffer, cost: Cost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `cost` defaults to today's (production's unless configured lower); tests' fixtures pass a cheap one. */
export async function hashPassword(password: string, cost: Cost = currentCost()): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface Parsed extends Cost {
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((n) => Number.isInteger(n) && n > 0)) return undefined;
  return { ...cost, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/**
 * True when `password` matches `stored`. Without a stored hash (unknown e-mail, an account with no
 * password) it still derives a key at today's cost, so the answer takes as long either way.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored ? parse(stored) : undefined;
  if (!parsed) {
    const cost = currentCost();
    await derive(password, randomBytes(saltLength), cost);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** A hash made at a lower cost than today's, to be replaced at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  const cost = currentCost();
  return !parsed || parsed.N < cost.N || parsed.r < cost.r || parsed.p < cost.p;
}
