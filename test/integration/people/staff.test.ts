// The staff: invitations by role (same outbox, same link, pt-BR and en), the list, an admin's changes to a
// person, and who may do any of it.
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { mailTo } from '../../support/mailbox.js';
import { world } from '../../support/world.js';
import { accept, invitationToken, newEmail, signIn } from './support.js';

describe('staff invitations', () => {
  it.each(['agent', 'admin', 'auditor'] as const)(
    'an invitation as %s makes the person that role, listed among the staff',
    async (role) => {
      const admin = await world.admin();
      const email = newEmail(role);
      const invited = await api.post('/staff/invites', { token: admin.token, body: { email, role } });
      expect(invited.status).toBe(201);
      expect(invited.body.invite).toEqual({
        id: expect.any(String),
        groupId: null,
        role,
        email,
        status: 'pending',
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
        createdBy: admin.user.id,
        delivery: expect.objectContaining({ status: expect.stringMatching(/^(queued|sent)$/) }),
      });
      const listed = await api.get('/staff/invites', { token: admin.token });
      expect(listed.body.items).toContainEqual(expect.objectContaining({ id: invited.body.invite.id, role }));
      const person = await accept(await invitationToken(email), `Nova pessoa ${role}`, 'uma senha comprida');
      expect(person.user).toMatchObject({ email, role, status: 'active', groups: [] });
      const staff = await api.get('/staff', { token: admin.token });
      // Listed as they signed in, and offline: they hold no connection yet.
      expect(staff.body.items).toContainEqual({ ...person.user, presence: 'offline' });
      const after = await api.get('/staff/invites', { token: admin.token });
      expect(after.body.items).toContainEqual(
        expect.objectContaining({ id: invited.body.invite.id, status: 'accepted' }),
      );
    },
  );

  it('writes the e-mail in pt-BR by default and in English when asked', async () => {
    const admin = await world.admin({ name: 'Ana Admin' });
    const [pt, en] = [newEmail('pt'), newEmail('en')];
    await api.post('/staff/invites', { token: admin.token, body: { email: pt, role: 'agent' } });
    await api.post('/staff/invites', { token: admin.token, body: { email: en, role: 'auditor', locale: 'en' } });
    await invitationToken(pt);
    await invitationToken(en);
    const [ptMail] = await mailTo(pt);
    const [enMail] = await mailTo(en);
    expect(ptMail?.subject).toBe('Convite para a equipe de atendimento do Atende');
    expect(ptMail?.body.text).toContain('Ana Admin convidou você para a equipe de atendimento do Atende como agente');
    expect(enMail?.subject).toBe('Invitation to the Atende support team');
    expect(enMail?.body.text).toContain('as an auditor');
  });

  it("makes an existing customer staff only with that account's password", async () => {
    const admin = await world.admin();
    const customer = await world.customer();
    await api.post('/staff/invites', { token: admin.token, body: { email: customer.email, role: 'agent' } });
    const token = await invitationToken(customer.email);
    const lookup = await api.get(`/invites/lookup?token=${encodeURIComponent(token)}`);
    expect(lookup.body).toMatchObject({ groupName: null, role: 'agent', existingAccount: true });
    const wrong = await api.post('/invites/accept', { body: { token, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const accepted = await api.post('/invites/accept', { body: { token, password: customer.password } });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ id: customer.user.id, name: customer.user.name, role: 'agent' });
  });

  it('is resent and revoked by admins only: a new link kills the old one, a revoked one answers 410', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    const email = newEmail('resent');
    const invited = await api.post('/staff/invites', { token: admin.token, body: { email, role: 'auditor' } });
    const id = invited.body.invite.id;
    const first = await invitationToken(email);
    expect((await api.post(`/invites/${id}/resend`, { token: agent.token })).status).toBe(403);
    expect((await api.delete(`/invites/${id}`, { token: agent.token })).status).toBe(403);
    expect((await api.post(`/invites/${id}/resend`, { token: (await world.customer()).token })).status).toBe(404);
    const resent = await api.post(`/invites/${id}/resend`, { token: admin.token });
    expect(resent.status).toBe(200);
    expect(resent.body.invite).toMatchObject({ id, role: 'auditor', groupId: null });
    const second = await invitationToken(email, 2);
    expect((await api.get(`/invites/lookup?token=${encodeURIComponent(first)}`)).status).toBe(410);
    expect((await api.delete(`/invites/${id}`, { token: admin.token })).status).toBe(204);
    const refused = await api.post('/invites/accept', {
      body: { token: second, name: 'X', password: 'uma senha longa' },
    });
    expect(refused.status).toBe(410);
  });

  it('refuses a role other than agent, admin or auditor, and someone already on the staff', async () => {
    const admin = await world.admin();
    for (const body of [
      { email: newEmail('x'), role: 'customer' },
      { email: newEmail('x'), role: 'platform_user' },
      { email: newEmail('x') },
      { email: 'not an e-mail', role: 'agent' },
      { email: newEmail('x'), role: 'agent', groupId: 'G1' },
    ]) {
      const res = await api.post('/staff/invites', { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const agent = await world.agent();
    const taken = await api.post('/staff/invites', { token: admin.token, body: { email: agent.email, role: 'admin' } });
    expect(taken.status).toBe(409);
  });
});

describe('who may manage the staff', () => {
  it('lets agents and auditors read the staff list, and nobody but admins change it', async () => {
    const [agent, auditor, customer, visitor] = [
      await world.agent(),
      await world.auditor(),
      await world.customer(),
      await world.platformUser(),
    ];
    const target = await world.agent();
    for (const reader of [agent, auditor]) expect((await api.get('/staff', { token: reader.token })).status).toBe(200);
    for (const outsider of [customer, visitor]) {
      const res = await api.get('/staff', { token: outsider.token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const group = await world.group();
    for (const person of [agent, auditor, customer]) {
      const attempts = [
        api.post('/staff/invites', { token: person.token, body: { email: newEmail('y'), role: 'admin' } }),
        api.get('/staff/invites', { token: person.token }),
        api.patch(`/users/${target.user.id}`, { token: person.token, body: { role: 'admin' } }),
        api.patch(`/groups/${group.id}`, { token: person.token, body: { name: 'Outro nome' } }),
      ];
      for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    }
    // Nothing changed.
    expect((await api.get('/me', { token: target.token })).body.user.role).toBe('agent');
    expect((await api.get('/staff', { token: agent.token })).body.items).not.toContainEqual(
      expect.objectContaining({ role: 'admin', email: target.email }),
    );
  });
});

describe('PATCH /users/{userId}', () => {
  it('renames, disables and enables again; what was issued before the disable stays dead', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    const renamed = await api.patch(`/users/${agent.user.id}`, { token: admin.token, body: { name: 'Carla Souza' } });
    expect(renamed.body.user).toMatchObject({ name: 'Carla Souza', role: 'agent', status: 'active' });
    // A rename takes nothing away: the token still works.
    expect((await api.get('/me', { token: agent.token })).body.user.name).toBe('Carla Souza');
    const disabled = await api.patch(`/users/${agent.user.id}`, { token: admin.token, body: { status: 'disabled' } });
    expect(disabled.body.user.status).toBe('disabled');
    const staff = await api.get('/staff', { token: admin.token });
    expect(staff.body.items).toContainEqual(expect.objectContaining({ id: agent.user.id, status: 'disabled' }));
    const enabled = await api.patch(`/users/${agent.user.id}`, { token: admin.token, body: { status: 'active' } });
    expect(enabled.body.user.status).toBe('active');
    // Enabled again: a new sign-in works; the token from before the disable stays dead.
    const again = await signIn(agent.email, agent.password as string);
    expect(again.user).toMatchObject({ status: 'active', lastSignInAt: expect.any(String) });
    expect((await api.get('/me', { token: agent.token })).status).toBe(401);
  });

  it('disables a customer too: sign-in fails like a wrong password and counts as a failure', async () => {
    const admin = await world.admin();
    const customer = await world.customer();
    await api.patch(`/users/${customer.user.id}`, { token: admin.token, body: { status: 'disabled' } });
    const refused = await api.post('/auth/login', { body: { email: customer.email, password: customer.password } });
    const wrong = await api.post('/auth/login', { body: { email: customer.email, password: 'wrong password!' } });
    expect(refused.status).toBe(401);
    expect({ ...refused.body, requestId: undefined }).toEqual({ ...wrong.body, requestId: undefined });
    // Five failures lock the e-mail for this address, the right password included.
    for (let i = 0; i < 3; i++)
      await api.post('/auth/login', { body: { email: customer.email, password: 'nope nope' } });
    expect(
      (await api.post('/auth/login', { body: { email: customer.email, password: customer.password } })).status,
    ).toBe(429);
  });

  it('refuses what the contract does not allow, and writes nothing', async () => {
    const admin = await world.admin();
    const customer = await world.customer();
    const agent = await world.agent();
    const makeStaff = await api.patch(`/users/${customer.user.id}`, { token: admin.token, body: { role: 'agent' } });
    expect(makeStaff.status).toBe(409);
    for (const body of [
      { role: 'customer' },
      { role: 'platform_user' },
      { status: 'gone' },
      { name: '' },
      { email: 'new@example.com' },
    ]) {
      const res = await api.patch(`/users/${agent.user.id}`, { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await api.patch('/users/01JZZZZZZZZZZZZZZZZZZZZZZZ', { token: admin.token, body: { name: 'X' } })).status,
    ).toBe(404);
    expect((await api.get('/me', { token: customer.token })).body.user.role).toBe('customer');
    expect((await api.get('/me', { token: agent.token })).body.user).toMatchObject({
      name: agent.user.name,
      role: 'agent',
    });
  });
});

describe('PATCH /me and PATCH /groups/{groupId}', () => {
  it('lets a person change their name and e-mail notifications, nothing else', async () => {
    const customer = await world.customer();
    const res = await api.patch('/me', {
      token: customer.token,
      body: { name: 'Ana Paula', notifications: { email: false } },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Ana Paula', notifications: { email: false }, status: 'active' });
    expect((await api.get('/me', { token: customer.token })).body.user).toEqual(res.body.user);
    for (const body of [{ role: 'admin' }, { status: 'disabled' }, { notifications: { email: 'no' } }, { name: ' ' }]) {
      expect((await api.patch('/me', { token: customer.token, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.get('/me', { token: customer.token })).body.user.role).toBe('customer');
  });

  it('lets an admin rename a group and set its CNPJ; members see the new name', async () => {
    const admin = await world.admin();
    const group = await world.group();
    const member = await world.customer({ group });
    const res = await api.patch(`/groups/${group.id}`, {
      token: admin.token,
      body: { name: 'Ótica Nova', taxId: '11.222.333/0001-81' },
    });
    expect(res.status).toBe(200);
    expect(res.body.group).toMatchObject({ id: group.id, name: 'Ótica Nova', taxId: '11222333000181' });
    expect((await api.get('/me', { token: member.token })).body.user.groups).toEqual([
      { id: group.id, name: 'Ótica Nova' },
    ]);
    const invalid = await api.patch(`/groups/${group.id}`, {
      token: admin.token,
      body: { taxId: '11.222.333/0001-80' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toEqual([expect.objectContaining({ path: 'taxId' })]);
    expect(
      (await api.patch('/groups/01JZZZZZZZZZZZZZZZZZZZZZZZ', { token: admin.token, body: { name: 'X' } })).status,
    ).toBe(404);
  });
});
