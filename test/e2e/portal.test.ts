// The customer portal with a keyboard only, its search box and its pages of tickets, evidence dropped on the
// new-ticket form, and the chat widget riding out a lost connection.
import type { WebSocketRoute } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { request } from '../support/http.js';
import { world } from '../support/world.js';
import { appUrl, browserForThisFile, screenshot, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

/** What has the keyboard focus: its id, or its text for buttons and links. */
const focused = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.id || el?.textContent?.trim() || el?.tagName || '';
  });

/**
 * The app moves the focus after it renders (a new page's heading, a refused form's first field), a moment after
 * what a test waits for shows: read it until it gets there. A key press moves it at once; read it directly.
 */
const focusSettlesOn = (page: import('playwright-core').Page, expected: string) =>
  expect.poll(() => focused(page), { timeout: visible.timeout }).toBe(expected);

describe('the portal', () => {
  it('lets a customer sign in and open a ticket with the keyboard alone, with errors next to the fields', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-123' });
    const page = await browser().person();

    await page.goto(appUrl('/login'));
    // The e-mail field takes the focus by itself once the app has started.
    await page.waitForFunction(() => document.activeElement?.id === 'login-email', null, { timeout: visible.timeout });
    await page.keyboard.type(customer.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('senha-do-cliente-123');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/tickets');

    // Each page puts the keyboard on its heading; "Novo chamado" is the next stop on the list page.
    await page.getByRole('heading', { level: 1, name: 'Meus chamados' }).waitFor(visible);
    await focusSettlesOn(page, 'Meus chamados');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Novo chamado');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Novo chamado' }).waitFor(visible);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: visible.timeout })
      .toBe('H1');
    expect(await focused(page)).toBe('Novo chamado');

    // Tab order: the form's fields from top to bottom, then its buttons.
    const order: string[] = [];
    for (let i = 0; i < 20 && !order.includes('Abrir chamado'); i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order.filter((x) => x.startsWith('ticket-') || x === 'Abrir chamado')).toEqual([
      'ticket-topic',
      'ticket-subject',
      'ticket-description',
      'ticket-priority',
      'ticket-files',
      'Abrir chamado',
    ]);

    // Sending it empty: each error is shown next to its field and the keyboard lands on the first.
    await page.keyboard.press('Enter');
    await page.getByText('Escolha o assunto.').waitFor(visible);
    await focusSettlesOn(page, 'ticket-topic');
    expect(await page.getByLabel('Título').getAttribute('aria-describedby')).toBe('ticket-subject-error');
    await screenshot(page, 'portal-01-form-errors');

    // The topics come with the page's first requests, which a slow stack may still be answering.
    await page.getByLabel('Assunto').getByRole('option', { name: 'Integração' }).waitFor({ state: 'attached' });
    await page.keyboard.type('Integ'); // type-ahead picks "Integração"
    await page.keyboard.press('Tab');
    await page.keyboard.type('Integração do ERP parou');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Desde ontem as notas não chegam ao ERP.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Alta');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Abrir chamado');
    await screenshot(page, 'portal-02-form-filled');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: /Integração do ERP parou/ }).waitFor(visible);
    await focusSettlesOn(
      page,
      (await page.getByRole('heading', { level: 1 }).evaluate((h) => h.textContent?.trim())) ?? '',
    );
    await page.getByText('Alta', { exact: true }).waitFor(visible);
    await page.getByText('Integração', { exact: true }).waitFor(visible);
    await screenshot(page, 'portal-03-ticket');

    // The customer closes it and opens it again; both land on the timeline.
    await page.getByRole('button', { name: 'Encerrar chamado' }).click();
    await page.getByText('Encerrado', { exact: true }).waitFor(visible);
    await page.getByText('Você mudou a situação para Encerrado.').waitFor(visible);
    await page.getByRole('button', { name: 'Reabrir chamado' }).click();
    await page.getByText('Você mudou a situação para Em atendimento.').waitFor(visible);
  }, 120_000);

  it('finds tickets by words of their subject whatever the accents and case typed in the search box', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-456' });
    const post = (subject: string, description: string) =>
      request('POST', '/tickets', {
        token: customer.token,
        body: { groupId: customer.group.id, topic: 'fiscal_document', subject, description },
      });
    expect((await post('Nota Fiscal Eletrônica rejeitada', 'Rejeição 539 na emissão.')).status).toBe(201);
    expect((await post('Boleto em atraso', 'O boleto de outubro não chegou.')).status).toBe(201);

    const page = await browser().person({ phone: true });
    await page.goto(appUrl('/login'));
    await page.getByLabel('E-mail').fill(customer.email);
    await page.getByLabel('Senha').fill('senha-do-cliente-456');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/tickets');
    await page.getByRole('link', { name: 'Boleto em atraso' }).waitFor(visible);

    await page.getByLabel('Buscar chamados').fill('NOTA fiscal eletronica');
    await page.getByLabel('Buscar chamados').press('Enter');
    await page.waitForURL(/q=NOTA/);
    await page.getByRole('link', { name: 'Nota Fiscal Eletrônica rejeitada' }).waitFor(visible);
    await page.getByText('1 chamado(s) exibido(s).').waitFor(visible);
    expect(await page.getByRole('link', { name: 'Boleto em atraso' }).count()).toBe(0);
    await screenshot(page, 'portal-04-search-phone');

    expect(browser().thirdPartyRequests).toEqual([]);
  }, 120_000);

  it('shows 25 tickets at a time and the older ones after "Carregar mais"', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-654' });
    // One at a time, so "newest first" is the order they were opened in, reversed.
    for (let n = 1; n <= 27; n++) {
      const subject = `Pedido ${String(n).padStart(2, '0')}`;
      const body = { groupId: customer.group.id, topic: 'usage', subject, description: 'Arranjo do teste.' };
      expect((await request('POST', '/tickets', { token: customer.token, body })).status).toBe(201);
    }
    const page = await browser().person();
    await signIn(page, customer.email, 'senha-do-cliente-654');
    const rows = page.locator('table.tickets tbody tr');
    await page.getByText('25 chamado(s) exibido(s).').waitFor(visible);
    expect(await rows.first().getByRole('link').textContent()).toBe('Pedido 27');
    expect(await page.getByRole('link', { name: 'Pedido 02' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Carregar mais' }).click();
    await page.getByText('27 chamado(s) exibido(s).').waitFor(visible);
    expect(await rows.getByRole('link').allTextContents()).toEqual(
      Array.from({ length: 27 }, (_, i) => `Pedido ${String(27 - i).padStart(2, '0')}`),
    );
    expect(await page.getByRole('button', { name: 'Carregar mais' }).count()).toBe(0);
  }, 120_000);

  it('takes evidence files dropped on the new-ticket form, refusing the wrong type next to the field', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-987' });
    const page = await browser().person();
    await signIn(page, customer.email, 'senha-do-cliente-987');
    await page.goto(appUrl('/tickets/new'));
    const zone = page.locator('.dropzone');
    await zone.waitFor(visible);

    // Real drag events with files in their DataTransfer, as a file manager sends them.
    const drag = (type: 'dragover' | 'drop') =>
      zone.evaluate((element, type) => {
        const data = new DataTransfer();
        data.items.add(new File(['%PDF-1.4 nota rejeitada'], 'rejeicao-539.pdf', { type: 'application/pdf' }));
        data.items.add(new File(['MZ'], 'programa.exe', { type: 'application/x-msdownload' }));
        element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      }, type);
    // The zone's look follows a render after each event: read it until it changes.
    const zoneClass = () => expect.poll(() => zone.getAttribute('class'), { timeout: visible.timeout });
    await drag('dragover');
    await zoneClass().toContain('dropzone-active');
    await drag('drop');
    const files = page.getByRole('list', { name: 'Arquivos enviados' });
    await files.getByRole('listitem').filter({ hasText: 'rejeicao-539.pdf' }).getByText('Enviado').waitFor(visible);
    await files
      .getByRole('listitem')
      .filter({ hasText: 'programa.exe' })
      .getByText('Tipo de arquivo não aceito.')
      .waitFor(visible);
    await zoneClass().not.toContain('dropzone-active');
    await screenshot(page, 'portal-05-files-dropped');

    await page.getByLabel('Assunto').selectOption('fiscal_document');
    await page.getByLabel('Título').fill('Nota rejeitada pela SEFAZ');
    await page.getByLabel('Descrição').fill('Segue o retorno da SEFAZ em anexo.');
    await page.getByRole('button', { name: 'Abrir chamado' }).click();
    await page.getByRole('heading', { level: 1, name: /Nota rejeitada pela SEFAZ/ }).waitFor(visible);
    await page.getByRole('button', { name: 'rejeicao-539.pdf' }).first().waitFor(visible);
    expect(await page.getByText('programa.exe').count()).toBe(0);
  }, 120_000);
});

describe('an expired session', () => {
  it('returns to login and back to the form with what was typed still there', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-321' });
    const page = await browser().person();
    // The page's clock is the test's, so the session's 15 minutes can pass at once.
    await page.clock.install();
    await page.goto(appUrl('/login'));
    await page.getByLabel('E-mail').fill(customer.email);
    await page.getByLabel('Senha').fill('senha-do-cliente-321');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('link', { name: 'Novo chamado' }).first().click();
    await page.getByLabel('Assunto').selectOption('usage');
    await page.getByLabel('Título').fill('Texto que não pode se perder');
    await page.getByLabel('Descrição').fill('Escrevi tudo isto antes de a sessão expirar.');

    // The session ends elsewhere (signed out on another device), then its access token runs out.
    const { refreshToken } = await page.evaluate(() => JSON.parse(localStorage.getItem('atende.session') ?? '{}'));
    expect((await request('POST', '/auth/logout', { body: { refreshToken } })).status).toBe(204);
    await page.clock.fastForward('15:00');

    await page.waitForURL(/\/login\?expired=1&next=%2Ftickets%2Fnew/);
    await page.getByText('Sua sessão expirou.', { exact: false }).waitFor(visible);
    await screenshot(page, 'session-01-expired');
    await page.getByLabel('Senha').fill('senha-do-cliente-321');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/tickets/new');
    // The form is drawn, then filled in from what was kept: read each field until it shows it.
    const field = (label: string) =>
      expect.poll(() => page.getByLabel(label).inputValue(), { timeout: visible.timeout });
    await field('Título').toBe('Texto que não pode se perder');
    await field('Descrição').toBe('Escrevi tudo isto antes de a sessão expirar.');
    await field('Assunto').toBe('usage');

    // And the app speaks English when asked, remembering the choice.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor(visible);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor(visible);
    await expect
      .poll(() => page.evaluate(() => document.documentElement.lang), { timeout: visible.timeout })
      .toBe('en');
  }, 120_000);
});

describe('the chat widget', () => {
  it('reconnects by itself, fills in what was said meanwhile and sends what was typed offline', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-789' });
    const agent = await world.agent();
    const page = await browser().person();

    // The page's WebSocket goes through the test, which can cut it and refuse new ones for a while.
    const wsPort = new URL(inject('stack').wsUrl).port;
    let refuse = false;
    const open: WebSocketRoute[] = [];
    await page.routeWebSocket(
      (url) => url.port === wsPort,
      (ws) => {
        if (refuse) return ws.close({ code: 1006 });
        ws.connectToServer();
        open.push(ws);
      },
    );

    await page.goto(appUrl('/login'));
    await page.getByLabel('E-mail').fill(customer.email);
    await page.getByLabel('Senha').fill('senha-do-cliente-789');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/tickets');
    await page.getByRole('button', { name: 'Atendimento Online' }).click();
    const panel = page.getByRole('dialog', { name: 'Atendimento Online' });
    await panel.getByText('Conectado').waitFor(visible);
    await panel.getByLabel('Assunto').selectOption('billing');
    await panel.getByLabel('Mensagem').fill('Minha fatura veio em dobro.');
    await panel.getByRole('button', { name: 'Iniciar conversa' }).click();
    await panel.getByText(/^Chamado #\d+$/).waitFor(visible);
    const ticketId = ((await panel.getByRole('link', { name: 'Ver no portal' }).getAttribute('href')) ?? '')
      .split('/')
      .pop();

    // The connection drops and cannot come back yet.
    refuse = true;
    for (const ws of open.splice(0)) await ws.close({ code: 1006 });
    await panel.getByText('Reconectando…').waitFor(visible);

    // Meanwhile the agent answers, and the customer types a message of her own.
    const answer = await request('POST', `/tickets/${ticketId}/messages`, {
      token: agent.token,
      body: { body: 'Vamos estornar a cobrança duplicada.' },
    });
    expect(answer.status).toBe(201);
    // More than one reply can carry (~96 KiB): the widget has to ask again while the server says `more`.
    const parts = Array.from({ length: 10 }, (_, i) => `Parte ${i + 1}: ${'detalhe da fatura '.repeat(550).trim()}`);
    for (const body of parts) {
      expect(
        (await request('POST', `/tickets/${ticketId}/messages`, { token: agent.token, body: { body } })).status,
      ).toBe(201);
    }
    await panel.getByLabel('Sua mensagem').fill('Estou aguardando.');
    await panel.getByLabel('Sua mensagem').press('Enter');
    await panel.getByRole('listitem').filter({ hasText: 'Estou aguardando.' }).getByText('Enviando…').waitFor(visible);
    await screenshot(page, 'chat-01-offline');

    // The network is back: the widget reconnects, shows the missed answer and delivers her message once.
    refuse = false;
    await panel.getByText('Vamos estornar a cobrança duplicada.').waitFor({ ...visible, timeout: 40_000 });
    await panel.getByRole('listitem').filter({ hasText: 'Estou aguardando.' }).getByText('Entregue').waitFor(visible);
    await panel.getByText(/^Parte 10:/).waitFor(visible);
    expect(
      await panel
        .getByRole('listitem')
        .filter({ hasText: /Parte \d+:/ })
        .count(),
    ).toBe(parts.length);
    await screenshot(page, 'chat-02-reconnected');
    const events = await request('GET', `/tickets/${ticketId}/events`, { token: agent.token });
    const bodies = (events.body.items as { type: string; data: { body?: string } }[])
      .filter((e) => e.type === 'message')
      .map((e) => e.data.body);
    expect(bodies).toEqual([
      'Minha fatura veio em dobro.',
      'Vamos estornar a cobrança duplicada.',
      ...parts,
      'Estou aguardando.',
    ]);

    // With the panel closed, an answer shows on the launcher; opening the panel shows it.
    await panel.getByLabel('Sua mensagem').press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await request('POST', `/tickets/${ticketId}/messages`, { token: agent.token, body: { body: 'Estorno feito.' } });
    const launcher = page.getByRole('button', { name: /Atendimento Online \(1 mensagem/ });
    await launcher.waitFor(visible);
    await launcher.click();
    await panel.getByText('Estorno feito.').waitFor(visible);
  }, 120_000);
});
