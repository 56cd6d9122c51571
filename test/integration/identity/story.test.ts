// The identity story end to end, through the local gateway, DynamoDB Local and the SES emulator: an admin
// creates a group, invites a person, the e-mail arrives, the person accepts with a chosen password, signs
// in and sees the group.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { linkToken, mailTo } from '../../support/mailbox.js';
import { world } from '../../support/world.js';

describe('from invitation to signed-in member', () => {
  it('an invited person accepts by e-mail, signs in and sees the group in GET /me', async () => {
    const admin = await world.admin();
    const created = await api.post('/groups', {
      token: admin.token,
      body: { name: 'Ótica Boa Vista', taxId: '11.222.333/0001-81' },
    });
    expect(created.status).toBe(201);
    const group = created.body.group;
    expect(group).toMatchObject({ name: 'Ótica Boa Vista', taxId: '11222333000181', createdBy: admin.user.id });

    const email = `ana-${ulid().toLowerCase()}@example.com`;
    const invited = await api.post(`/groups/${group.id}/invites`, {
      token: admin.token,
      body: { email: email.toUpperCase(), name: 'Ana Souza' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invite).toMatchObject({
      groupId: group.id,
      email,
      status: 'pending',
      createdBy: admin.user.id,
      delivery: { status: 'sent', attempts: 1 },
    });
    expect(JSON.stringify(invited.body)).not.toMatch(/token/i);

    const [mail, ...more] = await mailTo(email);
    expect(more).toHaveLength(0);
    expect(mail?.subject).toContain('Ótica Boa Vista');
    expect(mail?.from).toContain('support@atende.local');
    const token = linkToken(mail as NonNullable<typeof mail>, 'accept-invite');

    const lookup = await api.get(`/invites/lookup?token=${encodeURIComponent(token)}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({
      email,
      groupName: 'Ótica Boa Vista',
      role: 'customer',
      existingAccount: false,
      expiresAt: invited.body.invite.expiresAt,
    });

    const password = 'uma senha bem longa';
    const accepted = await api.post('/invites/accept', { body: { token, name: 'Ana Souza', password } });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      expiresIn: 900,
      user: { email, name: 'Ana Souza', role: 'customer', groups: [{ id: group.id, name: 'Ótica Boa Vista' }] },
    });

    const login = await api.post('/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: {
        id: accepted.body.user.id,
        email,
        name: 'Ana Souza',
        role: 'customer',
        status: 'active',
        groups: [{ id: group.id, name: 'Ótica Boa Vista' }],
        createdAt: expect.any(String),
        lastSignInAt: expect.any(String),
        notifications: { email: true },
      },
    });

    const me = await api.get('/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.groups).toEqual([{ id: group.id, name: 'Ótica Boa Vista' }]);

    const invites = await api.get(`/groups/${group.id}/invites`, { token: admin.token });
    expect(invites.body.items).toEqual([expect.objectContaining({ id: invited.body.invite.id, status: 'accepted' })]);

    const members = await api.get(`/groups/${group.id}/members`, { token: login.body.accessToken });
    expect(members.status).toBe(200);
    expect(members.body.items).toEqual([me.body.user]);
  });
});
