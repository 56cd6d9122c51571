// Reply notifications and following, in the browser: the link in a notification opens the ticket after
// sign-in, and a colleague follows and stops following a ticket from its page.
import { describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { waitForMail } from '../support/mailbox.js';
import { world } from '../support/world.js';
import { appUrl, browserForThisFile, screenshot, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

async function openTicket(customer: Awaited<ReturnType<typeof world.customer>>, subject: string) {
  const res = await request('POST', '/tickets', {
    token: customer.token,
    body: { groupId: customer.group.id, topic: 'fiscal_document', subject, description: 'O XML não baixa.' },
  });
  expect(res.status).toBe(201);
  return res.body.ticket;
}

describe('notifications in the browser', () => {
  it("opens the ticket from the notification's link, after signing in", async () => {
    const customer = await world.customer({ password: 'senha-da-notificacao-1' });
    const agent = await world.agent({ name: 'Caio Suporte' });
    const ticket = await openTicket(customer, 'XML da nota 1042');
    const answered = await request('POST', `/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'Já corrigimos: tente baixar de novo.' },
    });
    expect(answered.status).toBe(201);

    const [mail] = await waitForMail(customer.email);
    const link = (mail?.body.text ?? '').match(/https?:\/\/\S+\/tickets\/[0-9A-Z]{26}/)?.[0];
    expect(link).toBe(appUrl(`/tickets/${ticket.id}`).replace(/\/$/, ''));

    const page = await browser().person();
    await page.goto(link as string);
    await page.waitForURL('**/login**');
    await page.getByLabel('E-mail').fill(customer.email);
    await page.getByLabel('Senha').fill('senha-da-notificacao-1');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(`**/tickets/${ticket.id}`);
    await page.getByText('Já corrigimos: tente baixar de novo.').waitFor(visible);
  }, 120_000);

  it('lets a colleague follow a ticket from its page and stop, both on the timeline', async () => {
    const requester = await world.customer();
    const colleague = await world.customer({ group: requester.group, password: 'senha-da-colega-12' });
    const ticket = await openTicket(requester, 'Boleto de outubro');

    const page = await browser().person();
    await signIn(page, colleague.email, 'senha-da-colega-12');
    await page.goto(appUrl(`/tickets/${ticket.id}`));
    const follow = page.getByRole('button', { name: 'Acompanhar', exact: true });
    await follow.waitFor(visible);
    expect(await follow.getAttribute('aria-pressed')).toBe('false');

    await follow.click();
    const unfollow = page.getByRole('button', { name: 'Deixar de acompanhar' });
    await unfollow.waitFor(visible);
    expect(await unfollow.getAttribute('aria-pressed')).toBe('true');
    await page.getByText('Você passou a acompanhar o chamado.').waitFor(visible);
    await page.getByText('Você acompanha este chamado e recebe as respostas por e-mail.').waitFor(visible);
    const stored = await request('GET', `/tickets/${ticket.id}`, { token: requester.token });
    expect(stored.body.ticket.followerIds).toEqual([colleague.user.id]);
    await screenshot(page, 'notifications-01-following');

    await unfollow.click();
    await follow.waitFor(visible);
    await page.getByText('Você deixou de acompanhar o chamado.').waitFor(visible);
    expect((await request('GET', `/tickets/${ticket.id}`, { token: requester.token })).body.ticket.followerIds).toEqual(
      [],
    );
  }, 120_000);

  it('offers no follow button to the requester, nor to an auditor', async () => {
    const requester = await world.customer({ password: 'senha-do-requerente-1' });
    const ticket = await openTicket(requester, 'Acesso ao portal');
    const page = await browser().person();
    await signIn(page, requester.email, 'senha-do-requerente-1');
    await page.goto(appUrl(`/tickets/${ticket.id}`));
    await page.getByText('O XML não baixa.').waitFor(visible);
    expect(await page.getByRole('button', { name: 'Acompanhar', exact: true }).count()).toBe(0);

    const auditor = await world.auditor({ password: 'senha-do-auditor-12' });
    const auditorPage = await browser().person();
    await signIn(auditorPage, auditor.email, 'senha-do-auditor-12');
    await auditorPage.goto(appUrl(`/tickets/${ticket.id}`));
    await auditorPage.getByText('O XML não baixa.').waitFor(visible);
    expect(await auditorPage.getByRole('button', { name: 'Acompanhar', exact: true }).count()).toBe(0);
  }, 120_000);
});
