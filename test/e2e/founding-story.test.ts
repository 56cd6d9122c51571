// The story Atende was built for, walked in a real browser: a user of the host platform (the demo host, on
// another origin, with the chat embedded) asks for help from an NF-e page → an agent, in another browser, takes the chat from the live queue, answers and
// grants portal access → the invitation arrives by e-mail → the user accepts it, signs in, finds the
// chat ticket with its whole timeline, and opens a new ticket with an evidence file.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { waitForMail } from '../support/mailbox.js';
import { world } from '../support/world.js';
import {
  agentAtConsole,
  browserForThisFile,
  fromPersonMenu,
  linkIn,
  screenshot,
  signIn,
  signInToHost,
  textOf,
  visible,
} from './support/browser.js';

const browser = browserForThisFile();

describe('the founding story', () => {
  it('takes a platform user from a chat on a document to a portal member with tickets', async () => {
    const stamp = Date.now().toString(36);
    const userEmail = `maria.${stamp}@cliente-demo.com.br`;
    const group = await world.group({ name: `Cliente Demonstração ${stamp}`, taxId: '45723174000110' });
    const agentPassword = 'senha-do-atendente-123';
    const agent = await world.agent({ name: 'Ana Atendente', password: agentPassword });

    // Ana, the agent, is at her console in her own browser context before anything happens.
    const ana = await browser().person();
    const queue = await agentAtConsole(ana, agent.email, agentPassword);

    // Maria signs in to the host platform, which shows her an NF-e; its backend signs her platform token.
    const maria = await browser().person();
    await signInToHost(maria, 'Maria Souza', userEmail);
    await screenshot(maria, '02-document');
    expect(await maria.content()).not.toContain(inject('stack').env.PLATFORM_SECRET);

    // She asks about it in the chat embedded in the platform; the document's reference goes with the conversation.
    await maria.getByRole('button', { name: 'Acessar documento' }).click();
    const panel = maria.frameLocator('iframe.atende-frame').getByRole('dialog', { name: 'Atendimento Online' });
    await panel.getByText('NF-e 12.345 série 1').waitFor(visible);
    await panel.getByText('Conectado').waitFor(visible);
    await panel.getByLabel('Assunto').selectOption('portal_access');
    await panel.getByLabel('Mensagem').fill('Não consigo acessar esta nota. Preciso de acesso ao portal.');
    await panel.getByRole('button', { name: 'Iniciar conversa' }).click();
    const numberText = await textOf(panel.getByText(/^Chamado #\d+$/));
    const number = numberText.replace(/\D/g, '');
    await screenshot(maria, '03-chat-started');

    // Ana sees it arrive in the live queue, without reloading.
    await queue.getByRole('link', { name: new RegExp(`#${number}\\b`) }).click();
    await ana.getByRole('button', { name: 'Assumir atendimento' }).waitFor(visible);
    await screenshot(ana, '04-agent-queue');
    await ana.getByRole('button', { name: 'Assumir atendimento' }).click();
    await ana
      .getByRole('region', { name: 'Ações do atendente' })
      .getByText('Você assumiu o atendimento.')
      .waitFor(visible);
    await ana.getByLabel('Sua resposta').fill('Olá, Maria! Vou liberar seu acesso ao portal agora.');
    await ana.getByRole('button', { name: 'Enviar resposta' }).click();

    // Maria sees the answer live, and her reply reaches Ana live.
    await panel.getByText('Olá, Maria! Vou liberar seu acesso ao portal agora.').waitFor(visible);
    await panel.getByLabel('Sua mensagem').fill('Obrigada!');
    await panel.getByLabel('Sua mensagem').press('Enter');
    await panel.getByRole('listitem').filter({ hasText: 'Obrigada!' }).getByText('Entregue').waitFor(visible);
    await screenshot(maria, '05-chat-answered');
    await ana.getByText('Obrigada!').waitFor(visible);

    // Ana grants access to the customer's group; the invitation goes out by e-mail.
    await ana.getByLabel('Empresa (grupo de acesso)').selectOption(group.id);
    await ana.getByRole('button', { name: 'Conceder acesso' }).click();
    await ana.getByText(`Convite enviado para ${userEmail}.`).waitFor(visible);
    await screenshot(ana, '06-agent-granted');

    const invitation = (await waitForMail(userEmail)).at(-1);
    const link = invitation && linkIn(invitation, '/accept-invite');
    expect(link, 'the invitation e-mail links to /accept-invite').toBeTruthy();

    // Maria follows the e-mail's link to Atende's portal: the page shows the company; she chooses her name and password.
    await maria.goto(link as string);
    await maria.getByText(group.name).waitFor(visible);
    // The token came in the link's fragment and is gone from the address bar (and so from the history).
    expect(link).toContain('/accept-invite#token=');
    expect(new URL(maria.url()).hash).toBe('');
    await maria.getByLabel('Nome').fill('Maria Souza');
    await maria.getByLabel('Nova senha').fill('minha-senha-segura');
    await maria.getByLabel('Confirme a senha').fill('minha-senha-segura');
    await screenshot(maria, '07-accept-invite');
    await maria.getByRole('button', { name: 'Criar acesso' }).click();
    await maria.waitForURL('**/tickets');

    // She signs in with it, and finds the chat ticket with its timeline in the portal.
    await fromPersonMenu(maria, 'Maria Souza', 'Sair');
    await signIn(maria, userEmail, 'minha-senha-segura');
    await maria.waitForURL('**/tickets');
    const row = maria.getByRole('row', { name: new RegExp(`#${number}\\b`) });
    await row.waitFor(visible);
    await screenshot(maria, '08-my-tickets');
    await row.getByRole('link').click();
    const timeline = maria.getByRole('list', { name: 'Histórico' });
    await timeline.getByText('Não consigo acessar esta nota. Preciso de acesso ao portal.').waitFor(visible);
    await timeline.getByText('Olá, Maria! Vou liberar seu acesso ao portal agora.').waitFor(visible);
    await timeline.getByText(/concedeu acesso ao portal/).waitFor(visible);
    await maria.getByText(/NF-e 12.345 série 1 · 3524 1111 2223 3300 0181/).waitFor(visible);
    await screenshot(maria, '09-chat-ticket');

    // And opens a new ticket with an evidence file.
    await maria.getByRole('navigation').getByRole('link', { name: 'Novo chamado' }).click();
    await newTicketWithFile(maria);
    await screenshot(maria, '10-new-ticket');

    expect(browser().thirdPartyRequests).toEqual([]);
  }, 240_000);
});

async function newTicketWithFile(page: Page): Promise<void> {
  await page.getByLabel('Assunto').selectOption('fiscal_document');
  await page.getByLabel('Título').fill('Nota fiscal eletrônica rejeitada');
  await page.getByLabel('Descrição').fill('A SEFAZ rejeitou a nota 12.345 com o código 539. Segue o PDF.');
  await page.getByLabel('Arquivos de evidência').setInputFiles({
    name: 'rejeicao-539.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% Atende test evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
  });
  await page.getByText('Enviado', { exact: true }).waitFor(visible);
  await screenshot(page, '10a-new-ticket-form');
  await page.getByRole('button', { name: 'Abrir chamado' }).click();
  await page.getByText('Chamado aberto.', { exact: false }).waitFor(visible);
  await page.getByRole('heading', { level: 1, name: /Nota fiscal eletrônica rejeitada/ }).waitFor(visible);
  await page.getByRole('button', { name: 'rejeicao-539.pdf' }).first().waitFor(visible);
}
