// The two secrets identity needs: the key that signs access tokens and the host platform's shared secret.
// Given directly through the environment (local stack, tests) or read from Secrets Manager (deployed: the stack
// creates them and passes their ARNs), at most once per container every few minutes, so that a rotated secret
// takes effect without a deploy. Further keys are derived from the access-token key (HKDF, one label per
// purpose), so there is no other secret to deploy; a function that uses one needs the route access
// `secrets: ['jwt']`.
import { hkdfSync } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsClient } from './aws/secrets.js';
import { config } from './config.js';

type Loader = () => Promise<Uint8Array>;

/** How long a secret is used before it is read again (the AWS Parameters and Secrets extension's default). */
export const secretCacheMs = 5 * 60_000;

function cachedSecret(direct: () => string | undefined, arn: () => string): Loader {
  let cached: { loading: Promise<Uint8Array>; expiresAt: number } | undefined;
  return () => {
    if (!cached || Date.now() >= cached.expiresAt) {
      const loading = load(direct, arn).catch((error: unknown) => {
        // A failed read must not poison the container: the next request tries again.
        if (cached?.loading === loading) cached = undefined;
        throw error;
      });
      cached = { loading, expiresAt: Date.now() + secretCacheMs };
    }
    return cached.loading;
  };
}

async function load(direct: () => string | undefined, arn: () => string): Promise<Uint8Array> {
  const value =
    direct() ?? (await secretsClient().send(new GetSecretValueCommand({ SecretId: arn() }))).SecretString ?? '';
  // HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2).
  if (Buffer.byteLength(value) < 32) throw new Error('secret is shorter than 32 bytes');
  return new TextEncoder().encode(value);
}

export const secrets = {
  /** HS256 key for access tokens (and, derived from it, cursor signatures). */
  jwtKey: cachedSecret(
    () => config.jwtSecret,
    () => config.jwtSecretArn,
  ),
  /** HS256 key the host platform signs its tokens with. */
  platformKey: cachedSecret(
    () => config.platformSecret,
    () => config.platformSecretArn,
  ),
};

const derived = new Map<string, { from: Uint8Array; key: Buffer }>();

/** A 256-bit key for `purpose` (e.g. 'atende outbox body v1'), derived from the access-token key in use. */
export async function derivedKey(purpose: string): Promise<Buffer> {
  const jwtKey = await secrets.jwtKey();
  const cached = derived.get(purpose);
  // The same read of the access-token key gives the same bytes object; a new read (rotation) derives anew.
  if (cached?.from === jwtKey) return cached.key;
  const key = Buffer.from(hkdfSync('sha256', jwtKey, new Uint8Array(0), purpose, 32));
  derived.set(purpose, { from: jwtKey, key });
  return key;
}
