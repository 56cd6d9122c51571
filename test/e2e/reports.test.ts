// The manager's dashboard and the one-click rating, in a real browser.
import { describe, expect, it } from 'vitest';
import { ratingLinks } from '../../shared/mail/rating-links.js';
import { getTicketRecord } from '../../shared/store/tickets.js';
import { updateTicket } from '../../shared/tickets/changes.js';
import { createTicket } from '../../shared/tickets/create.js';
import { rateTicket } from '../../shared/tickets/satisfaction.js';
import { openTicket } from '../integration/tickets/support.js';
import { api } from '../support/http.js';
import { timeline } from '../support/pages.js';
import { world } from '../support/world.js';
import { browserForThisFile, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

describe('the reports dashboard', () => {
  it("shows an admin the period's created and resolved per day, with the chart's numbers as a table", async () => {
    // Days of May 2012 (São Paulo, UTC−3), replayed through the tickets service with an injected clock.
    const ana = await world.customer();
    const caio = await world.agent();
    const at = (iso: string) => () => new Date(iso);
    const open = async (iso: string) =>
      (
        await createTicket(
          ana.principal,
          { groupId: ana.group.id, topic: 'billing', subject: 'Boleto', description: 'Segunda via' },
          { clock: at(iso) },
        )
      ).ticket;
    const first = await open('2012-05-01T15:00:00.000Z');
    const second = await open('2012-05-02T15:00:00.000Z');
    await open('2012-05-02T16:00:00.000Z');
    await updateTicket(caio.principal, first.id, { status: 'resolved' }, { clock: at('2012-05-02T17:00:00.000Z') });
    await updateTicket(caio.principal, second.id, { status: 'resolved' }, { clock: at('2012-05-03T12:00:00.000Z') });
    await rateTicket(
      ana.principal,
      first.id,
      { score: 5, comment: 'Resolveram no mesmo dia.' },
      {
        clock: at('2012-05-03T10:00:00.000Z'),
      },
    );

    const admin = await world.admin({ password: 'senha-do-admin-123' });
    const page = await browser().person();
    await signIn(page, admin.email, 'senha-do-admin-123');
    await page.getByRole('link', { name: 'Relatórios' }).click();
    await page.getByRole('heading', { level: 1, name: 'Relatórios' }).waitFor(visible);
    await page.getByLabel('De').fill('2012-05-01');
    await page.getByLabel('Até').fill('2012-05-03');
    await page.getByRole('button', { name: 'Mostrar' }).click();

    const chart = page.getByRole('figure', { name: 'Abertos e resolvidos por dia' });
    await chart.waitFor(visible);
    await chart.getByText('Tabela').click();
    const table = chart.getByRole('table');
    await expect
      .poll(() => table.locator('tr').evaluateAll((rows) => rows.map((r) => r.textContent?.trim() ?? '')), {
        timeout: visible.timeout,
      })
      .toEqual(['DiaAbertosResolvidos', '2012-05-0110', '2012-05-0221', '2012-05-0301']);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Dia', 'Abertos', 'Resolvidos']);
    await expect
      .poll(() => page.getByRole('region', { name: 'Totais do período' }).textContent())
      .toMatch(/Abertos\s*3\s*Resolvidos\s*2/);
    const comments = page.getByRole('region', { name: 'Comentários mais recentes' });
    await expect.poll(() => comments.textContent()).toContain('Resolveram no mesmo dia.');
  });
});

describe('the one-click rating', () => {
  it("records the link's score without sign-in, takes the comment on the page and keeps no token in the address", async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const ticket = await openTicket(ana);
    await api.patch(`/tickets/${ticket.id}`, { token: caio.token, body: { status: 'resolved' } });
    const record = await getTicketRecord(ticket.id);
    if (!record) throw new Error('the ticket was not stored');
    const four = (await ratingLinks(record))[3]?.url ?? '';

    const page = await browser().person();
    await page.goto(four);
    await page.getByText('Obrigado! Sua nota 4 de 5 foi registrada.').waitFor(visible);
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('Quer contar mais? (opcional)').fill('Atendimento rápido.');
    await page.getByRole('button', { name: 'Enviar avaliação' }).click();
    await page.getByText('Avaliação enviada. Obrigado!').waitFor(visible);

    const ratings = (await timeline(caio, ticket.id)).filter((e) => e.type === 'satisfaction');
    expect(ratings.map((e) => e.data)).toEqual([{ score: 4 }, { score: 4, comment: 'Atendimento rápido.' }]);
  });
});
