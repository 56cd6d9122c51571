// A person's data in the browser (docs/privacy.md): "Baixar meus dados" on the profile page saves the export
// as a file; an admin erases a company's member after a confirmation that asks for the reason.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { world } from '../support/world.js';
import { appUrl, browserForThisFile, fromPersonMenu, screenshot, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

const stamp = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

describe("a person's data", () => {
  it('downloads everything Atende holds about the signed-in person from their profile', async () => {
    const id = stamp();
    const customer = await world.customer({ name: `Lia ${id}`, password: 'senha-da-lia-123' });
    const opened = await request('POST', '/tickets', {
      token: customer.token,
      body: { groupId: customer.group.id, topic: 'other', subject: `Pedido ${id}`, description: 'Detalhes' },
    });
    expect(opened.status).toBe(201);
    const page = await browser().person();
    await signIn(page, customer.email, 'senha-da-lia-123');
    await fromPersonMenu(page, `Lia ${id}`, 'Meu perfil');
    await page.getByRole('heading', { level: 2, name: 'Meus dados' }).waitFor(visible);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Baixar meus dados' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('atende-meus-dados.json');
    const document = JSON.parse(await readFile((await download.path()) as string, 'utf8'));
    expect(document.profile).toMatchObject({ id: customer.user.id, email: customer.email, name: `Lia ${id}` });
    expect(document.tickets.map((t: { subject: string }) => t.subject)).toEqual([`Pedido ${id}`]);
    await page.getByText('Seus dados foram baixados.').waitFor(visible);
    await screenshot(page, 'privacy-01-my-data');
  }, 120_000);

  it("erases a company's member after a confirmation that asks why; they can no longer sign in", async () => {
    const id = stamp();
    const group = await world.group({ name: `Ótica ${id}` });
    const leaving = await world.customer({ group, name: `Téo ${id}`, password: 'senha-do-teo-123' });
    const admin = await world.admin({ password: 'senha-do-admin-123' });
    const page = await browser().person();
    await signIn(page, admin.email, 'senha-do-admin-123');
    await page.goto(appUrl(`/admin?group=${group.id}`));
    const members = page.getByRole('region', { name: 'Membros' });
    await members.getByText(`Téo ${id}`).waitFor(visible);

    await members.getByRole('button', { name: `Apagar os dados de Téo ${id}` }).click();
    const dialog = page.getByRole('dialog', { name: `Apagar os dados de Téo ${id}` });
    await dialog.getByText(`Téo ${id} (${leaving.email}) perde o acesso agora`, { exact: false }).waitFor(visible);
    await dialog.getByRole('button', { name: 'Apagar definitivamente' }).click();
    await dialog.getByText('Preencha este campo.').waitFor(visible);
    await dialog.getByLabel('Motivo').fill('Pedido do titular por e-mail');
    await screenshot(page, 'privacy-02-erase');
    await dialog.getByRole('button', { name: 'Apagar definitivamente' }).click();
    await page.getByText(`Os dados de Téo ${id} estão sendo apagados.`).waitFor(visible);
    await members.getByText(`Téo ${id}`).waitFor({ state: 'hidden' });
    const login = await request('POST', '/auth/login', {
      body: { email: leaving.email, password: 'senha-do-teo-123' },
    });
    expect(login.status).toBe(401);
  }, 120_000);
});
