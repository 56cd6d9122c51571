// Access groups: who may create them, who sees which, paging with tamper-evident cursors, and members.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { pages } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { groupsNamed } from './support.js';

describe('POST /groups', () => {
  it('lets an admin create a group, with or without a CNPJ', async () => {
    const admin = await world.admin();
    const plain = await api.post('/groups', { token: admin.token, body: { name: 'Padaria Estrela' } });
    expect(plain.status).toBe(201);
    expect(plain.body.group).toEqual({
      id: expect.any(String),
      name: 'Padaria Estrela',
      createdAt: expect.any(String),
      createdBy: admin.user.id,
    });
    const withCnpj = await api.post('/groups', { token: admin.token, body: { name: 'Acme', taxId: '12345678000195' } });
    expect(withCnpj.body.group.taxId).toBe('12345678000195');
  });

  it('refuses a CNPJ with a wrong check digit, naming the field', async () => {
    const admin = await world.admin();
    const res = await api.post('/groups', { token: admin.token, body: { name: 'Acme', taxId: '12.345.678/0001-96' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'taxId', issue: 'not a valid CNPJ' }],
    });
  });

  it.each(['customer', 'agent', 'auditor', 'platformUser'] as const)(
    'refuses a %s with 403 and creates nothing',
    async (role) => {
      const person = await world[role]();
      const name = `0000 not allowed ${ulid()}`;
      const res = await api.post('/groups', { token: person.token, body: { name } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(await groupsNamed(name)).toEqual([]);
    },
  );

  it('finds a group an admin created (so the check above could fail)', async () => {
    const admin = await world.admin();
    const name = `0000 allowed ${ulid()}`;
    await api.post('/groups', { token: admin.token, body: { name } });
    expect(await groupsNamed(name)).toHaveLength(1);
  });
});

describe('GET /groups', () => {
  it('shows a customer its own groups only', async () => {
    const [a, b] = [await world.group(), await world.group()];
    await world.group();
    const customer = await world.customer({ groups: [a, b] });
    const res = await api.get('/groups', { token: customer.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: { id: string }) => g.id).sort()).toEqual([a.id, b.id].sort());
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages a customer through its groups', async () => {
    const groups = [await world.group(), await world.group(), await world.group()];
    const customer = await world.customer({ groups });
    const first = await api.get('/groups?limit=2', { token: customer.token });
    expect(first.body.items).toHaveLength(2);
    const second = await api.get(`/groups?limit=2&cursor=${first.body.nextCursor}`, { token: customer.token });
    const seen = [...first.body.items, ...second.body.items].map((g: { id: string }) => g.id);
    expect(seen.sort()).toEqual(groups.map((g) => g.id).sort());
  });

  it('pages staff through every group by name, each exactly once', async () => {
    const prefix = `0000 ${ulid()}`;
    const mine = [
      await world.group({ name: `${prefix} c` }),
      await world.group({ name: `${prefix} a` }),
      await world.group({ name: `${prefix} b` }),
    ];
    const auditor = await world.auditor();
    const seen: { id: string; name: string }[] = [];
    let read = 0;
    for await (const { items } of pages('/groups', auditor.token, { limit: '2' })) {
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items);
      if (++read === 100 || seen.filter((g) => g.name.startsWith(prefix)).length === 3) break;
    }
    expect(new Set(seen.map((g) => g.id)).size).toBe(seen.length);
    expect(seen.filter((g) => g.name.startsWith(prefix)).map((g) => g.id)).toEqual([
      mine[1]?.id,
      mine[2]?.id,
      mine[0]?.id,
    ]);
  });

  it('refuses forged, edited and borrowed cursors with 400', async () => {
    const admin = await world.admin();
    await world.group();
    await world.group();
    const page = await api.get('/groups?limit=1', { token: admin.token });
    const cursor: string = page.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [payload, mac] = cursor.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ gsi1pk: 'GROUPS', gsi1sk: 'a', pk: 'GROUP#x', sk: 'GROUP' }),
    ).toString('base64url');
    const customer = await world.customer();
    for (const [bad, token] of [
      ['garbage', admin.token],
      [`${forgedPayload}.${mac}`, admin.token],
      [`${payload}.${'A'.repeat(43)}`, admin.token],
      [`${payload}`, admin.token],
      [cursor, customer.token],
    ] as const) {
      const res = await api.get(`/groups?cursor=${encodeURIComponent(bad)}`, { token });
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'cursor' }] });
    }
  });

  it('validates the limit', async () => {
    const admin = await world.admin();
    for (const limit of ['0', '101', 'ten', '1.5']) {
      const res = await api.get(`/groups?limit=${limit}`, { token: admin.token });
      expect(res.status, limit).toBe(400);
      expect(res.body.error.details[0].path).toBe('limit');
    }
  });

  it('shows a host-platform user no group', async () => {
    const visitor = await world.platformUser();
    expect((await api.get('/groups', { token: visitor.token })).body).toEqual({ items: [], nextCursor: null });
  });
});

describe('GET /groups/{groupId}/members', () => {
  it('lists the members, with their groups, to staff', async () => {
    const [group, other] = [await world.group(), await world.group()];
    const ana = await world.customer({ groups: [group, other], name: 'Ana' });
    const bia = await world.customer({ group, name: 'Bia' });
    for (const viewer of [await world.agent(), await world.admin(), await world.auditor()]) {
      const res = await api.get(`/groups/${group.id}/members`, { token: viewer.token });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([ana.user, bia.user]);
    }
  });

  it("shows a customer only the groups it shares with each member, never a member's other companies", async () => {
    const [group, other] = [await world.group(), await world.group()];
    const ana = await world.customer({ groups: [group, other], name: 'Ana' });
    const bia = await world.customer({ group, name: 'Bia' });
    const asBia = await api.get(`/groups/${group.id}/members`, { token: bia.token });
    expect(asBia.status).toBe(200);
    const shared = [{ id: group.id, name: group.name }];
    expect(asBia.body.items).toEqual([{ ...ana.user, groups: shared }, bia.user]);
    expect(JSON.stringify(asBia.body)).not.toContain(other.id);
    // Ana, in both, sees her own groups, and Bia's one.
    const asAna = await api.get(`/groups/${group.id}/members`, { token: ana.token });
    expect(asAna.body.items).toEqual([ana.user, bia.user]);
  });

  it('lists every member of a larger group, each with their groups', async () => {
    const [group, other] = [await world.group(), await world.group()];
    const members = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        world.customer({
          groups: i % 3 === 0 ? [group, other] : [group],
          name: `Pessoa ${String(i).padStart(2, '0')}`,
        }),
      ),
    );
    const res = await api.get(`/groups/${group.id}/members`, { token: (await world.agent()).token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(members.map((m) => m.user));
  });

  it('answers 404 to a member of another group, a platform user, and for a group that does not exist', async () => {
    const group = await world.group();
    await world.customer({ group });
    const outsider = await world.customer();
    const visitor = await world.platformUser();
    for (const person of [outsider, visitor]) {
      const res = await api.get(`/groups/${group.id}/members`, { token: person.token });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const admin = await world.admin();
    expect((await api.get(`/groups/${ulid()}/members`, { token: admin.token })).status).toBe(404);
  });
});
