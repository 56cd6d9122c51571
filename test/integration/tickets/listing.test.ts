// Lists and search through the gateway: each person sees exactly their tickets, newest first, narrowed
// by filters and words, page after page.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../../shared/domain/groups.js';
import { createTicket } from '../../../shared/tickets/create.js';
import { api, type Json } from '../../support/http.js';
import { ids, listAll, pages } from '../../support/pages.js';
import { type Person, world } from '../../support/world.js';
import { openTicket } from './support.js';

let acme: Group;
let beta: Group;
let ana: Person;
let bruno: Person;
let caio: Person;
let opened: { acme: Json[]; beta: Json[]; anaElsewhere: Json };

beforeAll(async () => {
  acme = await world.group();
  beta = await world.group();
  const former = await world.group();
  // Ana is in both companies; Bruno only in Beta.
  ana = await world.customer({ groups: [acme, beta] });
  bruno = await world.customer({ group: beta });
  caio = await world.agent();
  opened = { acme: [], beta: [], anaElsewhere: undefined };
  for (let i = 0; i < 4; i++) opened.acme.push(await openTicket(ana, { groupId: acme.id, subject: `Acme ${i}` }));
  for (let i = 0; i < 3; i++) opened.beta.push(await openTicket(bruno, { groupId: beta.id, subject: `Beta ${i}` }));
  // Ana once opened a ticket in a company she has since left: opened as the member she was then. It stayed
  // with that company (api.md, "People over time").
  const then = { ...ana.principal, groupIds: [former.id] };
  opened.anaElsewhere = (
    await createTicket(then, { groupId: former.id, topic: 'other', subject: 'Antiga', description: 'De antes' })
  ).ticket;
});

const newestFirst = (tickets: Json[]) => ids(tickets).sort().reverse();

describe('a customer of two groups', () => {
  it("sees both groups' tickets, newest first, and no one else's, not even one she opened in a company she left", async () => {
    expect(ids(await listAll(ana))).toEqual(newestFirst([...opened.acme, ...opened.beta]));
    expect(ids(await listAll(bruno))).toEqual(newestFirst(opened.beta));
    expect((await api.get(`/tickets/${opened.anaElsewhere.id}`, { token: ana.token })).status).toBe(404);
  });

  it('gets the same list page by page, each ticket once', async () => {
    for (const limit of [1, 2, 3]) expect(ids(await listAll(ana, {}, limit))).toEqual(ids(await listAll(ana)));
    const first = await api.get('/tickets?limit=2', { token: ana.token });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
  });

  it('narrows to one group, and to nothing for a group it is not in', async () => {
    expect(ids(await listAll(ana, { groupId: beta.id }))).toEqual(newestFirst(opened.beta));
    expect(ids(await listAll(ana, { groupId: opened.anaElsewhere.groupId }))).toEqual([]);
    expect(ids(await listAll(bruno, { groupId: acme.id }))).toEqual([]);
  });
});

describe('filters', () => {
  it('by status, topic and assignee combine with the group and with words', async () => {
    const [first, second] = opened.acme;
    const waiting = await api.patch(`/tickets/${first.id}`, {
      token: caio.token,
      body: { status: 'pending_customer', assigneeId: caio.user.id },
    });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(200);
    const moved = await api.patch(`/tickets/${second.id}`, { token: caio.token, body: { topic: 'integration' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.ticket).toMatchObject({ topic: 'integration', version: second.version + 1 });
    const events = (await api.get(`/tickets/${second.id}/events`, { token: ana.token })).body.items;
    expect(events.at(-1)).toMatchObject({
      type: 'topic_changed',
      actor: { id: caio.user.id, role: 'agent' },
      data: { from: 'other', to: 'integration' },
    });
    expect(ids(await listAll(ana, { status: 'pending_customer' }))).toEqual([first.id]);
    expect(ids(await listAll(ana, { topic: 'integration' }))).toEqual([second.id]);
    expect(ids(await listAll(caio, { assigneeId: caio.user.id }))).toEqual([first.id]);
    expect(ids(await listAll(caio, { assigneeId: caio.user.id, status: 'open' }))).toEqual([]);
    expect(ids(await listAll(ana, { assigneeId: caio.user.id, groupId: acme.id }))).toEqual([first.id]);
    expect(ids(await listAll(ana, { q: 'acme', status: 'new' }))).toEqual(newestFirst(opened.acme.slice(1)));
    expect(ids(await listAll(caio, { groupId: acme.id, q: 'acme 1' }))).toEqual([opened.acme[1].id]);
  });
});

describe('staff', () => {
  it("see every group's tickets in the all-tickets list, newest first", async () => {
    const mine = new Set(ids([...opened.acme, ...opened.beta, opened.anaElsewhere]));
    // The table holds other tests' tickets too: ours must appear, in order, among them.
    const seen = ids(await listAll(caio, {}, 100)).filter((id) => mine.has(id));
    expect(seen).toEqual([...mine].sort().reverse());
  });

  it('find a ticket by an accent-free word across groups', async () => {
    const special = await openTicket(bruno, { groupId: beta.id, subject: 'Integração com ERP travada' });
    expect(ids(await listAll(caio, { q: 'integracao erp' }))).toContain(special.id);
    expect(ids(await listAll(ana, { q: 'integracao erp' }))).toEqual([special.id]);
    expect(ids(await listAll(bruno, { q: 'INTEGRAÇÃO' }))).toEqual([special.id]);
  });
});

describe('host-platform users', () => {
  it('see only the tickets they opened themselves', async () => {
    const platform = await world.platformUser();
    expect(await listAll(platform)).toEqual([]);
    expect((await api.get(`/tickets/${opened.acme[0].id}`, { token: platform.token })).status).toBe(404);
  });
});

describe('a timeline', () => {
  it('reads the same page by page, following nextCursor, as in one read', async () => {
    const ticket = await openTicket(ana, { groupId: acme.id });
    for (let i = 0; i < 5; i++) {
      const res = await api.post(`/tickets/${ticket.id}/messages`, {
        token: ana.token,
        body: { body: `mensagem ${i}` },
      });
      expect(res.status).toBe(201);
    }
    const whole = (await api.get(`/tickets/${ticket.id}/events?limit=100`, { token: ana.token })).body;
    expect(whole.items).toHaveLength(6);
    expect(whole.nextCursor).toBeNull();

    const paged: Json[] = [];
    let read = 0;
    for await (const { items } of pages(`/tickets/${ticket.id}/events`, ana.token, { limit: '2' })) {
      expect(items.length).toBeLessThanOrEqual(2);
      paged.push(...items);
      if (++read === 10) break;
    }
    expect(paged).toEqual(whole.items);
    expect(read).toBeGreaterThanOrEqual(3);
  });

  it("refuses another ticket's cursor with 400", async () => {
    const [one, other] = [await openTicket(ana, { groupId: acme.id }), await openTicket(ana, { groupId: acme.id })];
    await api.post(`/tickets/${one.id}/messages`, { token: ana.token, body: { body: 'para ter mais de uma página' } });
    const first = await api.get(`/tickets/${one.id}/events?limit=1`, { token: ana.token });
    const cursor = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await api.get(`/tickets/${one.id}/events?limit=1&cursor=${cursor}`, { token: ana.token })).status).toBe(
      200,
    );

    const res = await api.get(`/tickets/${other.id}/events?limit=1&cursor=${cursor}`, { token: ana.token });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'cursor' }] });
  });
});

describe('topics', () => {
  it('are listed with labels in Brazilian Portuguese and English, for anyone signed in', async () => {
    const res = await api.get('/topics', { token: bruno.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: Json) => t.id)).toEqual([
      'portal_access',
      'fiscal_document',
      'integration',
      'billing',
      'usage',
      'other',
    ]);
    expect(res.body.items[1]).toEqual({
      id: 'fiscal_document',
      label: { 'pt-BR': 'Documento fiscal', en: 'Fiscal document' },
    });
    expect((await api.get('/topics')).status).toBe(401);
  });
});
