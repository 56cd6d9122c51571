// Secrets read from Secrets Manager are used for a few minutes, then read again: a rotated key takes effect
// within minutes, without a deploy, and a failed read costs one request, not the container.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { derivedKey, secretCacheMs, secrets } from '../../../shared/secrets.js';

const secretsManager = mockClient(SecretsManagerClient);
const before = 'a'.repeat(32);
const rotated = 'b'.repeat(32);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();
const reads = () => secretsManager.commandCalls(GetSecretValueCommand).length;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2025-03-01T09:00:00Z'));
  vi.stubEnv('JWT_SECRET', '');
  vi.stubEnv('PLATFORM_SECRET', '');
  vi.stubEnv('JWT_SECRET_ARN', 'arn:aws:secretsmanager:sa-east-1:123456789012:secret:jwt');
  vi.stubEnv('PLATFORM_SECRET_ARN', 'arn:aws:secretsmanager:sa-east-1:123456789012:secret:platform');
  secretsManager.reset();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('secrets from Secrets Manager', () => {
  it('are read once, used for five minutes, then read again, so a rotated key and the keys derived from it take effect', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:sa-east-1:123456789012:secret:jwt' })
      .resolvesOnce({ SecretString: before })
      .resolves({ SecretString: rotated });
    const derivedBefore = await derivedKey('atende test v1');
    expect(text(await secrets.jwtKey())).toBe(before);

    vi.setSystemTime(Date.now() + secretCacheMs - 1);
    expect(text(await secrets.jwtKey())).toBe(before);
    expect(await derivedKey('atende test v1')).toEqual(derivedBefore);
    expect(reads()).toBe(1);

    vi.setSystemTime(Date.now() + 1);
    expect(text(await secrets.jwtKey())).toBe(rotated);
    expect(await derivedKey('atende test v1')).not.toEqual(derivedBefore);
    expect(reads()).toBe(2);
  });

  it('are read again on the next request after a failed read', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: rotated });
    await expect(secrets.platformKey()).rejects.toThrow('Rate exceeded');
    expect(text(await secrets.platformKey())).toBe(rotated);
    expect(reads()).toBe(2);
  });
});
