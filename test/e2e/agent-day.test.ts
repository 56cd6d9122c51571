// The agent's day in a real browser: the reply box's toggle between a reply to the customer and an internal
// note, the "/" canned-reply picker (placeholders filled, markup shown as text), the SLA badge turning red
// when the job records a missed target, and the customer's page, which shows the reply and never the note;
// files in chat (a pasted screenshot reaching the agent as a thumbnail); the presence switch and a transfer.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { openTicket } from '../integration/tickets/support.js';
import { eventually } from '../support/eventually.js';
import { api } from '../support/http.js';
import { timePassesUntilDue } from '../support/sla.js';
import { world } from '../support/world.js';
import { agentAtConsole, appUrl, browserForThisFile, screenshot, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

describe("the agent's day", () => {
  it('notes, canned replies and the due-time badge in the console; the customer sees only the reply', async () => {
    const stamp = ulid().toLowerCase().slice(-6);
    const password = 'senha-de-teste-123';
    const agent = await world.agent({ name: 'Bruno Atendente', password });
    const admin = await world.admin();
    const customer = await world.customer({ name: 'Carla Cliente', password });
    const word = `Segunda${stamp}`;
    const canned = await api.post('/canned-replies', {
      token: admin.token,
      body: {
        title: `${word} via do boleto`,
        body: 'Olá, {{requester.name}}! Reenviamos o boleto do chamado #{{ticket.number}}. <img src=x onerror="window.hacked=1"> — {{agent.name}}',
      },
    });
    expect(canned.status).toBe(201);
    const ticket = await openTicket(customer, { priority: 'urgent', subject: `Boleto não chegou ${stamp}` });

    const page = await browser().person();
    await signIn(page, agent.email, password);
    await page.waitForURL('**/agent');
    await page.goto(appUrl(`/agent?ticket=${ticket.id}`));
    const facts = page.locator('.ticket-facts');
    // Just opened: all of its time is left, so the badge is green.
    await facts.locator('[data-due-state="ok"]').waitFor(visible);

    // An internal note, marked as such on the timeline.
    await page.getByLabel('Nota interna', { exact: true }).check();
    await page.getByRole('textbox', { name: 'Nota interna' }).fill(`Cliente recorrente ${stamp}, confira o cadastro.`);
    await page.getByRole('button', { name: 'Salvar nota interna' }).click();
    const note = page.locator('.msg-note').filter({ hasText: `Cliente recorrente ${stamp}` });
    await note.getByText('Nota interna').waitFor(visible);
    await screenshot(page, 'agent-day-01-note');

    // A reply from a canned one: "/" and the first words of its title, then Enter.
    await page.getByLabel('Resposta ao cliente').check();
    const reply = page.getByRole('textbox', { name: 'Sua resposta' });
    await reply.fill('');
    await reply.pressSequentially(`/${word.toLowerCase()} via`);
    const option = page.getByRole('option', { name: new RegExp(`${word} via do boleto`) });
    await option.waitFor(visible);
    await screenshot(page, 'agent-day-02-picker');
    await reply.press('Enter');
    const filled = `Olá, Carla Cliente! Reenviamos o boleto do chamado #${ticket.number}. <img src=x onerror="window.hacked=1"> — Bruno Atendente`;
    await expect.poll(() => reply.inputValue()).toBe(filled);
    await page.getByRole('button', { name: 'Enviar resposta' }).click();
    // Shown as the text it is: the markup is visible, and nothing of it ran.
    await page.locator('.msg').filter({ hasText: filled }).waitFor(visible);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();

    // The customer's page: the reply, never the note.
    const carla = await browser().person();
    await signIn(carla, customer.email, password);
    await carla.goto(appUrl(`/tickets/${ticket.id}`));
    await carla.locator('.msg').filter({ hasText: 'Reenviamos o boleto' }).waitFor(visible);
    expect(await carla.getByText(`Cliente recorrente ${stamp}`).count()).toBe(0);
    expect(await carla.getByText('Nota interna').count()).toBe(0);
    expect(await carla.locator('[data-due-state]').count()).toBe(0);

    // Past its resolution due time, the SLA job records the breach and the console's badge turns red live.
    await timePassesUntilDue(ticket.id, 'resolutionDueAt');
    await facts.locator('[data-due-state="breached"]').waitFor(visible);
    await page.getByText('Prazo de resolução estourado.').waitFor(visible);
    await screenshot(page, 'agent-day-03-breached');
    expect(await carla.getByText('Prazo de resolução estourado.').count()).toBe(0);
  });

  it('a screenshot pasted into the chat and a file from its button reach the agent as files of the chat', async () => {
    const password = 'senha-do-cliente-456';
    const customer = await world.customer({ password });
    const agent = await world.agent({ password });
    const page = await browser().person();
    await signIn(page, customer.email, password);
    await page.getByRole('button', { name: 'Atendimento Online' }).click();
    const panel = page.getByRole('dialog', { name: 'Atendimento Online' });
    await panel.getByText('Conectado').waitFor(visible);
    await panel.getByLabel('Assunto').selectOption('fiscal_document');
    await panel.getByLabel('Mensagem').fill('A nota não abre, vou mandar a tela.');
    await panel.getByRole('button', { name: 'Iniciar conversa' }).click();
    await panel.getByText(/^Chamado #\d+$/).waitFor(visible);
    // Nobody has the chat yet: the customer is told when to expect a first answer.
    await panel.getByText(/^Aguardando um atendente\. Previsão de primeira resposta: até /).waitFor(visible);
    const ticketId = ((await panel.getByRole('link', { name: 'Ver no portal' }).getAttribute('href')) ?? '')
      .split('/')
      .pop();

    // What the browser does on Ctrl+V with a screenshot on the clipboard: a paste event carrying an image file.
    await panel.getByLabel('Sua mensagem').focus();
    await page.evaluate(() => {
      const target = document.activeElement as HTMLElement;
      const data = new DataTransfer();
      const png = Uint8Array.from(
        atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='),
        (c) => c.charCodeAt(0),
      );
      data.items.add(new File([png], 'image.png', { type: 'image/png' }));
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await panel.getByRole('button', { name: /^captura-.*\.png$/ }).waitFor(visible);
    await panel
      .getByLabel('Anexar arquivo')
      .setInputFiles({ name: 'nota.xml', mimeType: 'application/xml', buffer: Buffer.from('<nfe/>') });
    await panel.getByRole('button', { name: 'nota.xml' }).waitFor(visible);
    await screenshot(page, 'agent-day-04-chat-files');

    const files = await eventually(async () => {
      const events = (await api.get(`/tickets/${ticketId}/events`, { token: agent.token })).body.items;
      const attached = events
        .filter((e: { type: string }) => e.type === 'message')
        .flatMap(
          (e: { data: { attachments: Array<{ fileName: string; contentType: string }> } }) => e.data.attachments,
        );
      return attached.length === 2 && attached;
    }, 'both files reach the ticket');
    expect(files.map((f: { fileName: string }) => f.fileName)).toEqual([
      expect.stringMatching(/^captura-.*\.png$/),
      'nota.xml',
    ]);
    expect(files[0].contentType).toBe('image/png');

    // At the console the screenshot shows as a thumbnail, the XML as its name.
    const desk = await browser().person();
    await agentAtConsole(desk, agent.email, password);
    await desk.goto(appUrl(`/agent?ticket=${ticketId}`));
    const thumbnail = desk.locator('.msg .attachment-image img.thumbnail');
    await thumbnail.waitFor(visible);
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await desk.locator('.msg').getByRole('button', { name: 'nota.xml' }).waitFor(visible);
    await screenshot(desk, 'agent-day-05-thumbnail');
  });

  it('the agent says they are away, and transfers a ticket to a colleague', async () => {
    const password = 'senha-de-teste-789';
    const ana = await world.agent({ name: 'Ana Presença', password });
    const bruno = await world.agent({ name: `Bruno ${ulid().slice(-6)}` });
    const ticket = await openTicket(await world.customer(), { subject: 'Transferir para o colega' });
    const page = await browser().person();
    await agentAtConsole(page, ana.email, password);

    // Connected and never having chosen: available.
    const presence = page.getByRole('group', { name: 'Sua disponibilidade' });
    await expect.poll(() => presence.getByLabel('Disponível').isChecked()).toBe(true);
    await presence.getByLabel('Ausente').check();
    await presence.getByText('Você está ausente: nenhum chat novo será atribuído a você.').waitFor(visible);
    const seenByStaff = async () =>
      (await api.get('/staff', { token: bruno.token })).body.items.find((u: { id: string }) => u.id === ana.user.id)
        ?.presence;
    expect(await seenByStaff()).toBe('away');
    await screenshot(page, 'agent-day-06-away');

    await page.goto(appUrl(`/agent?ticket=${ticket.id}`));
    const transfer = page.getByLabel('Transferir para');
    // Bruno holds no connection: listed as offline.
    await transfer.locator('option', { hasText: `${bruno.user.name} (Desconectado)` }).waitFor({ state: 'attached' });
    await transfer.selectOption(bruno.user.id);
    await page.getByRole('button', { name: 'Transferir', exact: true }).click();
    await page.getByText(`Chamado transferido para ${bruno.user.name}.`).waitFor(visible);
    expect((await api.get(`/tickets/${ticket.id}`, { token: bruno.token })).body.ticket.assigneeId).toBe(bruno.user.id);
    await screenshot(page, 'agent-day-07-transferred');
    // Back online, as the next agent will expect.
    await presence.getByLabel('Disponível').check();
    await expect.poll(seenByStaff).toBe('online');
  });
});
