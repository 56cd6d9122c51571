// A deployment's first admin: `npm run admin:invite` e-mails a link to choose a password.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { inviteAdmin } from '../../../shared/auth/bootstrap.js';
import { api } from '../../support/http.js';
import { linkToken, mailTo } from '../../support/mailbox.js';
import { world } from '../../support/world.js';

describe('first admin of a deployment', () => {
  it('gets an e-mail to choose a password, then signs in as admin', async () => {
    const email = `first-admin-${ulid().toLowerCase()}@example.com`;
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/admin-invite.ts', email, 'Dona Maria'], {
      env: process.env,
    });
    expect(stdout).toContain(`Created admin ${email}`);
    expect(stdout).toContain('sent');
    const [mail] = await mailTo(email);
    expect(mail?.subject).toBe('Você administra o Atende: crie sua senha');
    const token = linkToken(mail as NonNullable<typeof mail>, 'reset-password');
    expect((await api.post('/auth/login', { body: { email, password: 'anything at all' } })).status).toBe(401);

    const chosen = await api.post('/auth/password-reset/confirm', { body: { token, password: 'the admin password' } });
    expect(chosen.status).toBe(204);
    const login = await api.post('/auth/login', { body: { email, password: 'the admin password' } });
    expect(login.body.user).toMatchObject({ email, name: 'Dona Maria', role: 'admin' });
  });

  it('refuses an address that belongs to someone who is not an admin', async () => {
    const customer = await world.customer();
    await expect(inviteAdmin({ email: customer.email, name: 'X' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await mailTo(customer.email)).toHaveLength(0);
  });

  it('refuses a malformed address', async () => {
    const run = promisify(execFile)('npx', ['tsx', 'scripts/admin-invite.ts', 'not-an-email'], { env: process.env });
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('usage: npm run admin:invite') });
  });
});
