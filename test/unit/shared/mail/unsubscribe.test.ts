import { beforeAll, describe, expect, it } from 'vitest';
import { tokenOwner, unsubscribeToken, unsubscribeUrl } from '../../../../shared/mail/unsubscribe.js';

beforeAll(() => {
  process.env.JWT_SECRET = 'a-unit-test-signing-key-of-at-least-32-bytes';
  process.env.API_URL = 'https://api.example.com/';
});

describe('unsubscribe tokens', () => {
  it('name the person they were made for', async () => {
    expect(await tokenOwner(await unsubscribeToken('01USERANA'))).toBe('01USERANA');
  });

  it("name nobody when forged, altered, or moved to another person's id", async () => {
    const token = await unsubscribeToken('01USERANA');
    const [, signature] = token.split('.');
    const moved = `${Buffer.from('01USERBIA').toString('base64url')}.${signature}`;
    for (const bad of [moved, `${token}A`, token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 'x', 'a.b.c', '.']) {
      expect(await tokenOwner(bad), bad).toBeUndefined();
    }
  });

  it('are signed with a key of their own, not the one that signs cursors or seals e-mails', async () => {
    const { createHmac } = await import('node:crypto');
    const { derivedKey } = await import('../../../../shared/secrets.js');
    const token = await unsubscribeToken('01USERANA');
    const other = createHmac('sha256', await derivedKey('atende page cursor v1'))
      .update('unsubscribe\n01USERANA')
      .digest('base64url');
    expect(token.split('.')[1]).not.toBe(other);
  });

  it("point at the API's unsubscribe route", async () => {
    expect(await unsubscribeUrl('01USERANA')).toMatch(
      /^https:\/\/api\.example\.com\/notifications\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
  });
});
