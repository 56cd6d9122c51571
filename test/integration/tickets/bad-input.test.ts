// Everything a client can get wrong, on purpose or not, gets the contract's error and changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../../shared/domain/groups.js';
import { createTicket } from '../../../shared/tickets/create.js';
import { type ApiResponse, api, type Json } from '../../support/http.js';
import { listAll } from '../../support/pages.js';
import { type Person, world } from '../../support/world.js';
import { openTicket, uploadFile } from './support.js';

let ana: Person & { group: Group };
let bia: Person & { group: Group };
let caio: Person;
let ticket: Json;

beforeAll(async () => {
  ana = await world.customer();
  bia = await world.customer();
  caio = await world.agent();
  ticket = await openTicket(ana, { subject: 'Boleto em atraso', topic: 'billing' });
});

const post = (path: string, person: Person, body: unknown) => api.post(path, { token: person.token, body });
const detailsOf = (res: Json): string[] => res.body.error.details.map((d: { path: string }) => d.path);

async function timelineLength(id: string): Promise<number> {
  return (await api.get(`/tickets/${id}/events?limit=100`, { token: ana.token })).body.items.length;
}

describe('opening a ticket with bad input', () => {
  const valid = () => ({ groupId: ana.group.id, topic: 'billing', subject: 'Assunto', description: 'Descrição' });

  it('refuses unknown topics and priorities, wrong types and unknown fields, naming each (400)', async () => {
    const res = await post('/tickets', ana, {
      ...valid(),
      topic: 'weather',
      priority: 'asap',
      subject: 42,
      admin: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(detailsOf(res)).toEqual(expect.arrayContaining(['topic', 'priority', 'subject', 'admin']));
  });

  it('refuses empty, whitespace-only and over-long texts', async () => {
    for (const body of [
      { ...valid(), subject: '' },
      { ...valid(), description: '  \n ' },
      { ...valid(), subject: 's'.repeat(201) },
      { ...valid(), description: 'd'.repeat(10_001) },
    ]) {
      expect((await post('/tickets', ana, body)).status).toBe(400);
    }
  });

  it('refuses a body over 64 KiB (413) and one that is not JSON (400)', async () => {
    const huge = await post('/tickets', ana, { ...valid(), description: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const broken = await api.post('/tickets', {
      token: ana.token,
      rawBody: '{"topic":',
      contentType: 'application/json',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('malformed_json');
  });

  it('answers 404 for a group the customer is not in, and never opens a ticket there', async () => {
    const res = await post('/tickets', ana, { ...valid(), groupId: bia.group.id });
    expect(res.status).toBe(404);
    expect(await listAll(bia)).toEqual([]);
  });

  it('refuses attachments that are not an upload of the caller waiting to be attached', async () => {
    const bias = await uploadFile(bia, { fileName: 'b.txt', contentType: 'text/plain', content: 'da Bia' });
    const res = await post('/tickets', ana, {
      ...valid(),
      attachmentIds: [bias.id, '01HZZZZZZZZZZZZZZZZZZZZZZZ'],
    });
    expect(res.status).toBe(400);
    expect(detailsOf(res)).toEqual(['attachmentIds.0', 'attachmentIds.1']);
    // Bia's file is still hers to attach.
    const hers = await openTicket(bia, { attachmentIds: [bias.id] });
    expect(hers.attachments).toHaveLength(1);
  });

  it('stores injection-looking, emoji and right-to-left text exactly, and finds it by its words', async () => {
    const subject = `'; DROP TABLE tickets; -- {"$gt": ""} 😀 שלום עולם مرحبا`;
    const stored = await openTicket(ana, { subject, description: '<script>alert(1)</script> {{7*7}} #{7*7}' });
    expect(stored.subject).toBe(subject);
    const read = await api.get(`/tickets/${stored.id}`, { token: ana.token });
    expect(read.body.ticket.subject).toBe(subject);
    expect(read.body.ticket.description).toBe('<script>alert(1)</script> {{7*7}} #{7*7}');
    for (const q of ['שלום', 'مرحبا', 'drop table', `' OR '1'='1`.replace(/'/g, ''), '{"$gt": ""}']) {
      const found = await api.get(`/tickets?q=${encodeURIComponent(q)}`, { token: ana.token });
      expect(found.status, q).toBe(200);
    }
    expect((await listAll(ana, { q: 'שלום' })).map((t) => t.id)).toEqual([stored.id]);
    expect((await listAll(ana, { q: 'DROP tickets' })).map((t) => t.id)).toEqual([stored.id]);
  });

  it('refuses a malformed idempotency-key', async () => {
    const res = await api.post('/tickets', {
      token: ana.token,
      headers: { 'idempotency-key': 'x'.repeat(300) },
      body: valid(),
    });
    expect(res.status).toBe(400);
  });
});

describe('who may write', () => {
  it('refuses auditors every write with 403, though they can read', async () => {
    const auditor = await world.auditor();
    expect((await api.get(`/tickets/${ticket.id}`, { token: auditor.token })).status).toBe(200);
    const writes = [
      await post('/tickets', auditor, { groupId: ana.group.id, topic: 'other', subject: 's', description: 'd' }),
      await post(`/tickets/${ticket.id}/messages`, auditor, { body: 'oi' }),
      await api.patch(`/tickets/${ticket.id}`, { token: auditor.token, body: { status: 'closed' } }),
      await post('/attachments', auditor, { fileName: 'a.txt', contentType: 'text/plain', size: 1 }),
      await post(`/tickets/${ticket.id}/grant-access`, auditor, { groupId: ana.group.id }),
    ];
    expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
  });

  it('refuses host-platform users opening portal tickets (they use the chat)', async () => {
    const platform = await world.platformUser();
    expect(
      (await post('/tickets', platform, { groupId: ana.group.id, topic: 'other', subject: 's', description: 'd' }))
        .status,
    ).toBe(403);
  });

  it('lets customers only close or reopen, and agents change anything (403 otherwise)', async () => {
    const own = await openTicket(ana);
    const patch = (person: Person, body: object) => api.patch(`/tickets/${own.id}`, { token: person.token, body });
    expect((await patch(ana, { priority: 'urgent' })).status).toBe(403);
    expect((await patch(ana, { status: 'pending_customer' })).status).toBe(403);
    expect((await patch(ana, { assigneeId: caio.user.id })).status).toBe(403);
    expect((await patch(caio, { status: 'resolved', priority: 'low' })).status).toBe(200);
    const reopened = await patch(ana, { status: 'open' });
    expect(reopened.status).toBe(200);
    const events = (await api.get(`/tickets/${own.id}/events`, { token: ana.token })).body.items;
    expect(events.at(-1)).toMatchObject({
      type: 'status_changed',
      actor: { id: ana.user.id, role: 'customer' },
      data: { from: 'resolved', to: 'open', reopen: true },
    });
  });

  it('refuses assigning to someone who is not an agent', async () => {
    const res = await api.patch(`/tickets/${ticket.id}`, { token: caio.token, body: { assigneeId: ana.user.id } });
    expect(res.status).toBe(400);
    expect(detailsOf(res)).toEqual(['assigneeId']);
  });
});

describe("another group's ticket, and ids that are not tickets", () => {
  it('is 404 for every route, never 403, and nothing is written', async () => {
    const before = await timelineLength(ticket.id);
    const attempts = [
      await api.get(`/tickets/${ticket.id}`, { token: bia.token }),
      await api.get(`/tickets/${ticket.id}/events`, { token: bia.token }),
      await post(`/tickets/${ticket.id}/messages`, bia, { body: 'oi' }),
      await api.patch(`/tickets/${ticket.id}`, { token: bia.token, body: { status: 'closed' } }),
      await post(`/tickets/${ticket.id}/attachments`, bia, { attachmentIds: ['01HZZZZZZZZZZZZZZZZZZZZZZZ'] }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(attempts.every((r) => r.body.error.code === 'not_found')).toBe(true);
    expect(await timelineLength(ticket.id)).toBe(before);
  });

  it('is 404 for made-up and injection-looking ids', async () => {
    for (const id of ['01HZZZZZZZZZZZZZZZZZZZZZZZ', "' OR 1=1 --", '{"$ne":null}', '..%2F..%2Fetc', 'x'.repeat(500)]) {
      const res = await api.get(`/tickets/${encodeURIComponent(id)}`, { token: caio.token });
      expect(res.status, id).toBe(404);
      expect((await api.get(`/attachments/${encodeURIComponent(id)}`, { token: caio.token })).status, id).toBe(404);
    }
  });
});

describe('messages', () => {
  it('must be 1 to 10 000 characters', async () => {
    const before = await timelineLength(ticket.id);
    for (const body of ['', '   ', 'x'.repeat(10_001)]) {
      expect((await post(`/tickets/${ticket.id}/messages`, ana, { body })).status).toBe(400);
    }
    expect((await post(`/tickets/${ticket.id}/messages`, ana, { body: 42 })).status).toBe(400);
    expect((await post(`/tickets/${ticket.id}/messages`, ana, { body: 'x'.repeat(10_000) })).status).toBe(201);
    expect(await timelineLength(ticket.id)).toBe(before + 1);
  });
});

describe('bad input on every other route', () => {
  // Each case: the contract's answer, and afterwards the ticket and its timeline exactly as before.
  interface Case {
    name: string;
    send: () => Promise<ApiResponse>;
    status: number;
    code: string;
    /** The fields the answer must name, for a 400 validation_failed. */
    paths?: string[];
    /** The ticket that must stay as it was (the portal ticket unless told). */
    ticket?: () => Json;
  }

  let portal: Json;
  let access: Json;
  let chat: Json;
  let pat: Person;
  let biasFile: string;

  beforeAll(async () => {
    portal = await openTicket(ana);
    access = await openTicket(ana, { topic: 'portal_access', subject: 'Quero acesso' });
    pat = await world.platformUser();
    chat = (
      await createTicket(pat.principal, { topic: 'other', subject: 'Chat', description: 'Olá' }, { channel: 'chat' })
    ).ticket;
    biasFile = (await uploadFile(bia, { fileName: 'b.txt', contentType: 'text/plain', content: 'da Bia' })).id;
  });

  const patch = (person: Person, id: string, body: unknown) =>
    api.patch(`/tickets/${id}`, { token: person.token, body });
  const patchRaw = (rawBody: string) =>
    api.patch(`/tickets/${portal.id}`, { token: caio.token, rawBody, contentType: 'application/json' });
  const cases: Case[] = [
    {
      name: 'PATCH with wrong types',
      send: () => patch(caio, portal.id, { status: 5, priority: true, assigneeId: 7, topic: ['billing'] }),
      status: 400,
      code: 'validation_failed',
      paths: ['status', 'priority', 'assigneeId', 'topic'],
    },
    {
      name: 'PATCH with an unknown field beside a valid one',
      send: () => patch(caio, portal.id, { status: 'closed', color: 'red' }),
      status: 400,
      code: 'validation_failed',
      paths: ['color'],
    },
    { name: 'PATCH with malformed JSON', send: () => patchRaw('{"status":'), status: 400, code: 'malformed_json' },
    { name: 'PATCH with an empty body', send: () => patchRaw(''), status: 400, code: 'malformed_json' },
    { name: 'PATCH with nothing to change', send: () => patchRaw('{}'), status: 400, code: 'validation_failed' },
    {
      name: 'POST /attachments with the size as a string',
      send: () => post('/attachments', ana, { fileName: 'a.txt', contentType: 'text/plain', size: '10' }),
      status: 400,
      code: 'validation_failed',
      paths: ['size'],
    },
    {
      name: 'grant-access with a number as groupId',
      send: () => post(`/tickets/${access.id}/grant-access`, caio, { groupId: 5 }),
      status: 400,
      code: 'validation_failed',
      paths: ['groupId'],
      ticket: () => access,
    },
    {
      name: 'events with limit=0',
      send: () => api.get(`/tickets/${portal.id}/events?limit=0`, { token: ana.token }),
      status: 400,
      code: 'validation_failed',
      paths: ['limit'],
    },
    {
      name: 'events with limit=101',
      send: () => api.get(`/tickets/${portal.id}/events?limit=101`, { token: ana.token }),
      status: 400,
      code: 'validation_failed',
      paths: ['limit'],
    },
    {
      name: 'a message body over 64 KiB',
      send: () => post(`/tickets/${portal.id}/messages`, ana, { body: 'x'.repeat(65 * 1024) }),
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: "a message with another person's upload",
      send: () => post(`/tickets/${portal.id}/messages`, ana, { body: 'segue', attachmentIds: [biasFile] }),
      status: 400,
      code: 'validation_failed',
      paths: ['attachmentIds.0'],
    },
    {
      name: "POST /tickets/{id}/attachments with another person's upload",
      send: () => post(`/tickets/${portal.id}/attachments`, ana, { attachmentIds: [biasFile] }),
      status: 400,
      code: 'validation_failed',
      paths: ['attachmentIds.0'],
    },
    ...(['priority', 'topic', 'assigneeId', 'status'] as const).map(
      (field): Case => ({
        name: `a host-platform user changing the ${field} of their chat (only close or reopen)`,
        send: () =>
          patch(pat, chat.id, {
            [field]: { priority: 'urgent', topic: 'billing', assigneeId: caio.user.id, status: 'pending_customer' }[
              field
            ],
          }),
        status: 403,
        code: 'forbidden',
        ticket: () => chat,
      }),
    ),
    {
      name: "a host-platform user closing someone else's ticket",
      send: () => patch(pat, portal.id, { status: 'closed' }),
      status: 404,
      code: 'not_found',
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const ticket = (c.ticket ?? (() => portal))();
    const read = async () => ({
      ticket: (await api.get(`/tickets/${ticket.id}`, { token: caio.token })).body.ticket,
      timeline: (await api.get(`/tickets/${ticket.id}/events?limit=100`, { token: caio.token })).body.items,
    });
    const before = await read();

    const res = await c.send();

    expect([res.status, res.body?.error?.code], JSON.stringify(res.body)).toEqual([c.status, c.code]);
    if (c.paths) expect(detailsOf(res)).toEqual(expect.arrayContaining(c.paths));
    expect(await read()).toEqual(before);
  });

  it("leaves another person's upload theirs to attach", async () => {
    const hers = await openTicket(bia, { attachmentIds: [biasFile] });
    expect(hers.attachments.map((a: Json) => a.id)).toEqual([biasFile]);
  });
});

describe('lists', () => {
  it('refuse limits out of 1–100, unknown statuses and topics, and queries without words', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=-5',
      'status=done',
      'topic=weather',
      'q=%21%21%21',
      'color=red',
    ]) {
      const res = await api.get(`/tickets?${query}`, { token: ana.token });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it("refuse forged, garbage and other people's cursors with 400", async () => {
    for (let i = 0; i < 3; i++) await openTicket(ana);
    const page = await api.get('/tickets?limit=1', { token: ana.token });
    const cursor: string = page.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [payload, mac] = cursor.split('.');
    const edited = `${Buffer.from(JSON.stringify({ p: '7ZZZZZZZZZZZZZZZZZZZZZZZZZ' })).toString('base64url')}.${mac}`;
    const tries: Array<[Person, string]> = [
      [ana, 'garbage'],
      [ana, edited],
      [ana, `${payload}.${'A'.repeat(43)}`],
      [ana, `${cursor}x`],
      [bia, cursor],
    ];
    for (const [person, forged] of tries) {
      const res = await api.get(`/tickets?limit=1&cursor=${encodeURIComponent(forged)}`, { token: person.token });
      expect(res.status, forged).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'cursor', issue: expect.any(String) }]);
    }
    // The cursor also belongs to its filters: the same person with another filter is refused.
    expect(
      (await api.get(`/tickets?status=closed&cursor=${encodeURIComponent(cursor)}`, { token: ana.token })).status,
    ).toBe(400);
    expect((await api.get(`/tickets?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: ana.token })).status).toBe(
      200,
    );
    const events = await api.get(`/tickets/${ticket.id}/events?cursor=garbage`, { token: ana.token });
    expect(events.status).toBe(400);
  });
});
