import { beforeAll, describe, expect, it } from 'vitest';
import { openBody, sealBody } from '../../../../shared/mail/sealed.js';

const mail = {
  subject: 'Convite',
  html: '<a href="https://atende.example/accept-invite?token=the-raw-token">Aceitar</a>',
  text: 'Aceitar: https://atende.example/accept-invite?token=the-raw-token\n',
};

beforeAll(() => {
  process.env.JWT_SECRET = 'a-unit-test-signing-key-of-at-least-32-bytes';
});

describe('sealed outbox bodies', () => {
  it('open to the mail that was sealed, and show none of it', async () => {
    const sealed = await sealBody('01OUTBOX', mail);
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('token');
    expect(await openBody('01OUTBOX', sealed)).toEqual(mail);
  });

  it('differ each time the same mail is sealed (a random IV)', async () => {
    expect(await sealBody('01OUTBOX', mail)).not.toBe(await sealBody('01OUTBOX', mail));
  });

  it('refuse to open when altered or moved to another outbox item', async () => {
    const sealed = Buffer.from(await sealBody('01OUTBOX', mail), 'base64');
    const flipped = Buffer.from(sealed);
    flipped[20] = (flipped[20] as number) ^ 1;
    await expect(openBody('01OUTBOX', flipped.toString('base64'))).rejects.toThrow();
    await expect(openBody('01OTHER', sealed.toString('base64'))).rejects.toThrow();
  });
});
