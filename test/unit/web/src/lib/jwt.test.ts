import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signHs256 } from '../../../../../web/src/lib/jwt.js';

describe('the platform demo page signing a platform token in the browser', () => {
  const secret = 'a-local-platform-secret-of-32-bytes-or-more';

  it('produces an HS256 JWT that a standard verifier accepts with the same secret', async () => {
    const exp = Math.floor(Date.now() / 1000) + 300;
    const token = await signHs256({ sub: 'demo:maria', email: 'maria@example.com', name: 'Maria Ávila', exp }, secret);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'demo:maria', email: 'maria@example.com', name: 'Maria Ávila', exp });
  });

  it('produces a token that fails verification with another secret', async () => {
    const token = await signHs256({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, secret);
    await expect(
      jwtVerify(token, new TextEncoder().encode('another-secret-that-is-long-enough-too'), { algorithms: ['HS256'] }),
    ).rejects.toThrow();
  });
});
