// People over time, in the browser: an admin builds the team from the staff page (invitation by e-mail
// with a role, role changes, disabling and re-enabling), takes a person out of a company after a
// confirmation naming both, corrects a company's name and CNPJ; anyone signs out of every device, turns
// e-mail notifications off in their profile, and accepts an invitation with the password of the account
// they already have.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { waitForMail } from '../support/mailbox.js';
import { world } from '../support/world.js';
import { appUrl, browserForThisFile, fromPersonMenu, linkIn, screenshot, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

/** What has the keyboard focus: its text (buttons) or its id. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.id || el?.textContent?.trim() || el?.tagName || '';
  });

const stamp = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

const login = (email: string, password: string) => request('POST', '/auth/login', { body: { email, password } });

describe('the staff page', () => {
  it('invites an agent by e-mail, who joins with that role; changes a role; disables and re-enables someone', async () => {
    const id = stamp();
    const admin = await world.admin({ name: `Admin ${id}`, password: 'senha-do-admin-123' });
    const colleague = await world.agent({ name: `Carla ${id}`, password: 'senha-da-carla-123' });
    const page = await browser().person();
    await signIn(page, admin.email, 'senha-do-admin-123');
    await page.getByRole('navigation').getByRole('link', { name: 'Equipe' }).click();
    await page.getByRole('heading', { level: 1, name: 'Equipe' }).waitFor(visible);

    // The invitation: e-mail, name and role; it is listed with its role and arrives by e-mail.
    const newEmail = `novo.agente.${id}@suporte.example.com`;
    const invites = page.getByRole('region', { name: 'Convites para a equipe' });
    await invites.getByLabel('E-mail').fill(newEmail);
    await invites.getByLabel('Nome (opcional)').fill(`Bruno ${id}`);
    await invites.getByLabel('Papel').selectOption('agent');
    await invites.getByRole('button', { name: 'Convidar' }).click();
    await page.getByText(`Convite enviado para ${newEmail}.`).waitFor(visible);
    const inviteRow = invites.getByRole('row', { name: new RegExp(newEmail) });
    await inviteRow.getByRole('cell', { name: 'atendente' }).waitFor(visible);
    await screenshot(page, 'people-01-staff-invited');
    const invitation = (await waitForMail(newEmail)).at(-1);
    const link = invitation && linkIn(invitation, '/accept-invite');
    expect(link, 'the staff invitation e-mail links to /accept-invite').toBeTruthy();

    // The invitee sees that it is for the support team, as an agent, and lands on the agent's console.
    const invitee = await browser().person();
    await invitee.goto(link as string);
    await invitee
      .getByText('Você foi convidado para a equipe de atendimento do Atende como atendente.')
      .waitFor(visible);
    await invitee.getByLabel('Nome').fill(`Bruno ${id}`);
    await invitee.getByLabel('Nova senha').fill('senha-do-bruno-123');
    await invitee.getByLabel('Confirme a senha').fill('senha-do-bruno-123');
    await invitee.getByRole('button', { name: 'Criar acesso' }).click();
    await invitee.waitForURL('**/agent');
    await invitee.getByRole('heading', { level: 1, name: 'Console de atendimento' }).waitFor(visible);

    // A role change, kept by the server: after a reload Carla is an auditor.
    await page.reload();
    const carla = page.getByRole('row', { name: new RegExp(`Carla ${id}`) });
    await carla.getByLabel(`Papel de Carla ${id}`).selectOption('auditor');
    await carla.getByRole('button', { name: `Alterar o papel de Carla ${id}` }).click();
    await page.getByText(`Carla ${id} agora é auditor.`, { exact: false }).waitFor(visible);
    await page.reload();
    await expect.poll(() => carla.getByLabel(`Papel de Carla ${id}`).inputValue()).toBe('auditor');
    await page.getByRole('row', { name: new RegExp(`Bruno ${id}`) }).waitFor(visible);

    // Disabling asks first, naming the person, with the keyboard on "Cancelar".
    await carla.getByRole('button', { name: `Desativar Carla ${id}` }).click();
    const dialog = page.getByRole('dialog', { name: `Desativar Carla ${id}` });
    await dialog.getByText(colleague.email, { exact: false }).waitFor(visible);
    await expect.poll(() => focused(page)).toBe('Cancelar');
    await screenshot(page, 'people-02-disable-confirmation');
    await dialog.getByRole('button', { name: 'Desativar', exact: true }).click();
    await page.getByText(`Carla ${id} foi desativado(a).`).waitFor(visible);
    await carla.getByText('Desativado', { exact: true }).waitFor(visible);
    const refused = await login(colleague.email, 'senha-da-carla-123');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_credentials');

    // Re-enabling, also confirmed: she signs in again, and her last sign-in shows after a reload.
    expect(await carla.getByRole('cell', { name: 'Nunca entrou' }).count()).toBe(1);
    await carla.getByRole('button', { name: `Reativar Carla ${id}` }).click();
    await page
      .getByRole('dialog', { name: `Reativar Carla ${id}` })
      .getByRole('button', { name: 'Reativar', exact: true })
      .click();
    await page.getByText(`Carla ${id} foi reativado(a).`).waitFor(visible);
    await carla.getByText('Ativo', { exact: true }).waitFor(visible);
    expect((await login(colleague.email, 'senha-da-carla-123')).status).toBe(200);
    await page.reload();
    await carla.getByRole('button', { name: `Desativar Carla ${id}` }).waitFor(visible);
    expect(await carla.getByRole('cell', { name: 'Nunca entrou' }).count()).toBe(0);
    await screenshot(page, 'people-03-staff');
  }, 180_000);
});

describe('a company in the administration', () => {
  it('removes a member after a confirmation naming the person and the company', async () => {
    const id = stamp();
    const group = await world.group({ name: `Transportes ${id}` });
    const staying = await world.customer({ group, name: `Fica ${id}` });
    const leaving = await world.customer({ group, name: `Sai ${id}` });
    const agent = await world.agent({ password: 'senha-do-agente-123' });
    const page = await browser().person();
    await signIn(page, agent.email, 'senha-do-agente-123');
    await page.goto(appUrl(`/admin?group=${group.id}`));
    const members = page.getByRole('region', { name: 'Membros' });
    await members.getByText(`Fica ${id}`).waitFor(visible);

    // Escape cancels and gives the keyboard back to the button; nothing was removed.
    const remove = members.getByRole('button', { name: `Remover Sai ${id} da empresa Transportes ${id}` });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: 'Remover membro' });
    await dialog.getByText(`Remover Sai ${id} (${leaving.email}) da empresa Transportes ${id}?`).waitFor(visible);
    await expect.poll(() => focused(page)).toBe('Cancelar');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // The dialog gives focus back once it has unmounted, a frame after it is hidden.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe(`Remover Sai ${id} da empresa Transportes ${id}`);

    await remove.click();
    await screenshot(page, 'people-04-remove-confirmation');
    await dialog.getByRole('button', { name: 'Remover da empresa' }).click();
    await page.getByText(`Sai ${id} foi removido(a) da empresa Transportes ${id}.`).waitFor(visible);
    expect(await members.getByText(`Sai ${id}`).count()).toBe(0);
    await page.reload();
    await members.getByText(`Fica ${id}`).waitFor(visible);
    expect(await members.getByText(`Sai ${id}`).count()).toBe(0);
    // The person is out of the company for the API too.
    const listed = await request('GET', `/groups/${group.id}/members`, { token: staying.token });
    expect((listed.body.items as { id: string }[]).map((m) => m.id)).toEqual([staying.user.id]);

    // Agents see the team but change nothing there: no invitations, no role selects, no disable buttons.
    await page.getByRole('navigation').getByRole('link', { name: 'Equipe' }).click();
    await page.getByRole('row', { name: new RegExp(agent.user.name) }).waitFor(visible);
    expect(await page.getByRole('region', { name: 'Convites para a equipe' }).count()).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(1); // the language menu
    expect(await page.getByRole('button', { name: /^Desativar/ }).count()).toBe(0);
  }, 120_000);

  it('edits a company name and CNPJ, refusing an invalid CNPJ next to its field', async () => {
    const id = stamp();
    const group = await world.group({ name: `Mercado ${id}` });
    const admin = await world.admin({ password: 'senha-do-admin-456' });
    const page = await browser().person();
    await signIn(page, admin.email, 'senha-do-admin-456');
    await page.goto(appUrl(`/admin?group=${group.id}`));
    await page.getByRole('heading', { level: 2, name: `Mercado ${id}` }).waitFor(visible);

    await page.getByRole('button', { name: 'Editar empresa' }).click();
    const form = page.getByRole('form', { name: `Editar Mercado ${id}` });
    expect(await form.getByLabel('Nome da empresa').inputValue()).toBe(`Mercado ${id}`);
    await form.getByLabel('Nome da empresa').fill(`Supermercado ${id}`);
    await form.getByLabel('CNPJ').fill('11.111.111/1111-11');
    await form.getByRole('button', { name: 'Salvar alterações' }).click();
    await form.getByText('CNPJ inválido.').waitFor(visible);
    await expect.poll(() => focused(page)).toBe('edit-group-cnpj');

    await form.getByLabel('CNPJ').fill('45.723.174/0001-10');
    await form.getByRole('button', { name: 'Salvar alterações' }).click();
    await page.getByText('Empresa atualizada.').waitFor(visible);
    await form.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { level: 2, name: `Supermercado ${id}` }).waitFor(visible);
    await page.getByRole('link', { name: `Supermercado ${id}` }).waitFor(visible);
    await screenshot(page, 'people-05-group-edited');

    await page.reload();
    await page.getByRole('heading', { level: 2, name: `Supermercado ${id}` }).waitFor(visible);
    await page.getByText('CNPJ 45.723.174/0001-10').first().waitFor(visible);
  }, 120_000);
});

describe("a person's own sessions and profile", () => {
  it('"Sair de todos os dispositivos" ends this session and the others: the refresh tokens stop working', async () => {
    const customer = await world.customer({ name: `Paula ${stamp()}`, password: 'senha-da-paula-123' });
    // Her other device: the portal open in another browser.
    const other = await browser().person();
    await signIn(other, customer.email, 'senha-da-paula-123');
    const page = await browser().person();
    await signIn(page, customer.email, 'senha-da-paula-123');
    const refreshTokens = await Promise.all(
      [page, other].map(async (p) => {
        const { refreshToken } = await p.evaluate(() => JSON.parse(localStorage.getItem('atende.session') ?? '{}'));
        expect(refreshToken).toBeTruthy();
        return refreshToken as string;
      }),
    );

    // With the keyboard: the menu opens from the button with her name, Escape closes it and gives the
    // keyboard back, and its items are the next stops.
    const menuButton = page.getByRole('banner').getByRole('button', { name: new RegExp(`^${customer.user.name} \\(`) });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Meu perfil' }).waitFor(visible);
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Meu perfil' }).waitFor({ state: 'hidden' });
    expect(await menuButton.evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const stops: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
    }
    expect(stops).toEqual(['Meu perfil', 'Sair', 'Sair de todos os dispositivos']);
    await screenshot(page, 'people-06-person-menu');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/login?signed_out=everywhere');
    await page.getByText('Você saiu de todos os dispositivos.', { exact: false }).waitFor(visible);
    expect(await page.evaluate(() => localStorage.getItem('atende.session'))).toBeNull();
    await screenshot(page, 'people-07-signed-out-everywhere');

    for (const refreshToken of refreshTokens) {
      const refreshed = await request('POST', '/auth/refresh', { body: { refreshToken } });
      expect(refreshed.status).toBe(401);
    }
    // The other browser finds out by itself: its live connection was closed, and connecting again needs a
    // session that no longer refreshes. Back to sign-in.
    await other.waitForURL(/\/login\?/);
    expect(await other.evaluate(() => localStorage.getItem('atende.session'))).toBeNull();
  }, 120_000);

  it('turns e-mail notifications off in the profile, and they stay off after a reload', async () => {
    const id = stamp();
    const customer = await world.customer({ name: `Rita ${id}`, password: 'senha-da-rita-123' });
    const page = await browser().person();
    await signIn(page, customer.email, 'senha-da-rita-123');
    await fromPersonMenu(page, `Rita ${id}`, 'Meu perfil');
    await page.getByRole('heading', { level: 1, name: 'Meu perfil' }).waitFor(visible);
    const notifications = page.getByLabel('Receber avisos por e-mail');
    await expect.poll(() => notifications.isChecked()).toBe(true);

    await notifications.uncheck();
    await page.getByLabel('Nome').fill(`Rita Campos ${id}`);
    await page.getByRole('button', { name: 'Salvar perfil' }).click();
    await page.getByText('Perfil salvo.').waitFor(visible);
    await page
      .getByRole('banner')
      .getByRole('button', { name: new RegExp(`^Rita Campos ${id}`) })
      .waitFor(visible);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Meu perfil' }).waitFor(visible);
    await expect.poll(() => page.getByLabel('Nome').inputValue()).toBe(`Rita Campos ${id}`);
    expect(await notifications.isChecked()).toBe(false);
    const me = await request('GET', '/me', { token: customer.token });
    expect(me.body.user.notifications).toEqual({ email: false });
    expect(me.body.user.name).toBe(`Rita Campos ${id}`);

    // In English too, with the menu's way out of every device.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor(visible);
    expect(await page.getByLabel('Receive e-mail notifications').isChecked()).toBe(false);
    await page
      .getByRole('banner')
      .getByRole('button', { name: new RegExp(`^Rita Campos ${id}`) })
      .click();
    await page.getByRole('button', { name: 'Sign out everywhere' }).waitFor(visible);
  }, 120_000);
});

describe('an invitation for an existing account', () => {
  it("asks only for that account's password, refusing a wrong one, and adds the company", async () => {
    const id = stamp();
    const customer = await world.customer({ name: `Sérgio ${id}`, password: 'senha-do-sergio-123' });
    const second = await world.group({ name: `Filial ${id}` });
    const agent = await world.agent();
    const sent = await request('POST', `/groups/${second.id}/invites`, {
      token: agent.token,
      body: { email: customer.email },
    });
    expect(sent.status).toBe(201);
    const invitation = (await waitForMail(customer.email)).at(-1);
    const link = invitation && linkIn(invitation, '/accept-invite');
    expect(link, 'the invitation e-mail links to /accept-invite').toBeTruthy();

    const page = await browser().person();
    await page.goto(link as string);
    await page.getByText(`Filial ${id}`, { exact: false }).first().waitFor(visible);
    await page.getByText('Você já tem uma conta com este e-mail.', { exact: false }).waitFor(visible);
    expect(await page.getByLabel('Nome').count()).toBe(0);
    expect(await page.getByLabel('Nova senha').count()).toBe(0);
    await screenshot(page, 'people-08-accept-existing');

    await page.getByLabel('Senha').fill('senha-errada-000');
    await page.getByRole('button', { name: 'Aceitar convite' }).click();
    await page.getByText('E-mail ou senha incorretos.').waitFor(visible);
    await expect.poll(() => focused(page)).toBe('invite-password');
    expect(await page.getByLabel('Senha').inputValue()).toBe('');

    await page.getByLabel('Senha').fill('senha-do-sergio-123');
    await page.getByRole('button', { name: 'Aceitar convite' }).click();
    await page.waitForURL('**/tickets');
    const me = await request('GET', '/me', { token: customer.token });
    expect((me.body.user.groups as { id: string }[]).map((g) => g.id).sort()).toEqual(
      [customer.group.id, second.id].sort(),
    );
    expect(me.body.user.name).toBe(`Sérgio ${id}`);
  }, 120_000);
});
