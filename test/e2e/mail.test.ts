// E-mail as people meet it in the browser: an admin finds an address that bounced among the blocked ones
// and clears it; a customer who wrote to the retired mailbox follows the reply's link and finds a new
// ticket with the subject of their e-mail already filled in.
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { api } from '../support/http.js';
import { waitForMail } from '../support/mailbox.js';
import { plainMessage, sendSmtp } from '../support/smtp.js';
import { world } from '../support/world.js';
import { appUrl, browserForThisFile, screenshot, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

describe('e-mail in the browser', () => {
  it('shows an admin the address that bounced, and clears it', async () => {
    const password = `pw-${ulid()}`;
    const admin = await world.admin({ password });
    const address = `bounce+${ulid().toLowerCase()}@simulator.amazonses.com`;
    const group = await world.group();
    expect(
      (await api.post(`/groups/${group.id}/invites`, { token: admin.token, body: { email: address } })).status,
    ).toBe(201);
    const listed = async () => {
      const res = await api.get('/suppressions', { token: admin.token });
      return (res.body.items as { email: string }[]).some((s) => s.email === address);
    };
    await eventually(async () => (await listed()) || undefined, `${address} suppressed`);

    const page = await browser().person();
    await signIn(page, admin.email, password);
    await page.goto(appUrl('/admin'));
    const blocked = page.getByRole('region', { name: 'Endereços bloqueados' });
    await blocked.getByText(address).waitFor(visible);
    await blocked
      .getByText(/E-mail devolvido/)
      .first()
      .waitFor(visible);
    await screenshot(page, 'mail-01-blocked-addresses');

    page.once('dialog', (dialog) => void dialog.accept());
    await blocked.getByRole('button', { name: `Liberar ${address} para receber e-mails de novo` }).click();
    await blocked.getByText(address).waitFor({ state: 'detached' });
    expect(await listed()).toBe(false);
  });

  it('takes a customer from the automatic reply to a new ticket with the subject filled in', async () => {
    const password = `pw-${ulid()}`;
    const customer = await world.customer({ password });
    const subject = 'Boleto em atraso';
    const reply = await sendSmtp({
      from: customer.email,
      to: [inject('stack').supportAddress],
      data: plainMessage({ from: customer.email, to: inject('stack').supportAddress, subject }),
    });
    expect(reply.code).toBe(250);
    const [answer] = await waitForMail(customer.email);
    const link = /https?:\/\/\S+\/tickets\/new\?subject=\S+/.exec(answer?.body.text ?? '')?.[0];
    expect(link).toBeDefined();

    const page = await browser().person();
    await signIn(page, customer.email, password);
    await page.goto(link as string);
    await expect.poll(() => page.getByLabel('Título').inputValue()).toBe(subject);
    await screenshot(page, 'mail-02-new-ticket-from-reply');
  });
});
