// Attack: names that read differently from what they are — a group called "Acme\u202Egnp.exe", a person
// whose name carries a line break into e-mail headers and logs, a file name with a right-to-left override.
// Figure: every such name, of a person, a group or a file, is refused with 400 `validation_failed`
// naming the field, and nothing is written.
import { describe, expect, it } from 'vitest';
import { getGroup } from '../../../shared/store/groups.js';
import { api } from '../../support/http.js';
import { world } from '../../support/world.js';

const hidden = ['Acme\u202Egnp.exe', 'Acme\u2066Ltda\u2069', 'Acme\nBcc: x@example.com', 'Acme\u0007', 'Acme\u0085'];

describe('names with control characters or bidirectional overrides', () => {
  it.each(hidden)('refuses a group named %j with 400 validation_failed, and creates no group', async (name) => {
    const admin = await world.admin();
    const res = await api.post('/groups', { headers: admin.headers, body: { name } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'name' })]);
    const groups = await api.get('/groups?limit=100', { headers: admin.headers });
    expect(groups.body.items.map((g: { name: string }) => g.name)).not.toContain(name.trim());
  });

  it('refuses such a file name with 400 validation_failed', async () => {
    const customer = await world.customer();
    const res = await api.post('/attachments', {
      headers: customer.headers,
      body: { fileName: 'nota\u202Efdp.pdf', contentType: 'application/pdf', size: 100 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details, JSON.stringify(res.body)).toEqual([expect.objectContaining({ path: 'fileName' })]);
  });

  it("refuses such a person's name when accepting an invitation, before the token is even looked up", async () => {
    const res = await api.post('/invites/accept', {
      body: { token: 'any-token', name: 'Eva\u202E', password: 'a long enough password' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'name' })]);
  });

  it('refuses such a name on every route that renames someone or something, and keeps the old name', async () => {
    const admin = await world.admin();
    const group = await world.group();
    const customer = await world.customer({ group });
    const name = 'Eva\u202Egnp.exe';
    const refusals = [
      await api.patch('/me', { token: customer.token, body: { name } }),
      await api.patch(`/users/${customer.user.id}`, { token: admin.token, body: { name } }),
      await api.patch(`/groups/${group.id}`, { token: admin.token, body: { name } }),
      await api.post('/staff/invites', {
        token: admin.token,
        body: { email: `eva.${Date.now()}@example.com`, name, role: 'agent' },
      }),
    ];
    for (const res of refusals) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'name' })]);
    }
    expect((await api.get('/me', { token: customer.token })).body.user.name).toBe(customer.user.name);
    expect((await getGroup(group.id))?.name).toBe(group.name);
  });

  it('still accepts names in any script, with the joiners emoji and scripts need', async () => {
    const admin = await world.admin();
    for (const name of ['Distribuidora São João Ltda', 'שלום בע"מ', 'شركة النور', 'Equipe 👩‍💻', 'नमस्ते']) {
      const res = await api.post('/groups', { headers: admin.headers, body: { name } });
      expect(res.status, name).toBe(201);
      expect(res.body.group.name).toBe(name);
    }
  });
});
