// Internal notes: staff write to each other on a ticket, and no path a customer or a host platform's user
// has — the timeline over HTTP, `missed`, `chat.started`, pushes, search, downloads — ever shows them one.
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../../shared/domain/groups.js';
import { api, type Json } from '../../support/http.js';
import { listAll, timeline } from '../../support/pages.js';
import { type Person, world } from '../../support/world.js';
import { connectAs, expectReply, startChat } from '../chat/support.js';
import { openTicket, uploadFile } from '../tickets/support.js';

let ana: Person & { group: Group };
let agent: Person;
let auditor: Person;

beforeAll(async () => {
  ana = await world.customer();
  agent = await world.agent();
  auditor = await world.auditor();
});

const note = (person: Person, ticketId: string, body: Json) =>
  api.post(`/tickets/${ticketId}/notes`, { token: person.token, body });

const types = (events: Json[]) => events.map((e) => e.type);

describe('POST /tickets/{id}/notes', () => {
  it("puts a note on the timeline that staff read and the ticket's customers never do", async () => {
    const ticket = await openTicket(ana);
    const colleague = await world.customer({ group: ana.group });

    const res = await note(agent, ticket.id, { body: 'Cliente antigo; conferir o certificado A1.' });

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.event).toMatchObject({
      ticketId: ticket.id,
      type: 'note',
      actor: { id: agent.user.id, role: 'agent' },
      data: { body: 'Cliente antigo; conferir o certificado A1.', attachments: [] },
    });
    expect(types(await timeline(agent, ticket.id))).toEqual(['created', 'note']);
    expect(types(await timeline(auditor, ticket.id))).toEqual(['created', 'note']);
    expect(types(await timeline(ana, ticket.id))).toEqual(['created']);
    expect(types(await timeline(colleague, ticket.id))).toEqual(['created']);
    // Nor does the ticket itself tell: no new message time, no status moved.
    const seen = await api.get(`/tickets/${ticket.id}`, { token: ana.token });
    expect(seen.body.ticket.status).toBe('new');
    expect(seen.body.ticket.lastMessageAt).toBeUndefined();
  });

  it('is refused to customers, host-platform users and auditors (403), and to anyone on a ticket they cannot see (404)', async () => {
    const ticket = await openTicket(ana);
    expect((await note(ana, ticket.id, { body: 'posso?' })).status).toBe(403);
    expect((await note(auditor, ticket.id, { body: 'posso?' })).status).toBe(403);
    expect((await note(await world.platformUser(), ticket.id, { body: 'posso?' })).status).toBe(403);
    expect((await note(agent, ulid(), { body: 'ninguém' })).status).toBe(404);
    expect(types(await timeline(agent, ticket.id))).toEqual(['created']);
  });

  it('refuses an empty body or unknown fields with 400, writing nothing', async () => {
    const ticket = await openTicket(ana);
    for (const body of [{ body: '   ' }, { body: 'x'.repeat(10_001) }, { body: 'ok', internal: true }, {}]) {
      const res = await note(agent, ticket.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(types(await timeline(agent, ticket.id))).toEqual(['created']);
  });

  it("keeps a note's words out of the customer's search", async () => {
    const word = `sigiloso${ulid().toLowerCase().slice(-8)}`;
    const ticket = await openTicket(ana, { subject: 'Erro ao emitir' });
    expect((await note(agent, ticket.id, { body: `Palavra interna ${word}` })).status).toBe(201);

    expect(await listAll(ana, { q: word })).toEqual([]);
    expect((await listAll(ana, { q: 'emitir' })).map((t) => t.id)).toContain(ticket.id);
  });
});

describe("a note's files", () => {
  it('are downloaded by staff; a customer is told they do not exist (404), and the ticket does not list them', async () => {
    const ticket = await openTicket(ana);
    const file = await uploadFile(agent, { fileName: 'log-interno.txt', contentType: 'text/plain', content: 'stack' });

    const res = await note(agent, ticket.id, { body: 'Log do erro', attachmentIds: [file.id] });

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.event.data.attachments).toEqual([expect.objectContaining({ id: file.id })]);
    const asAgent = await api.get(`/attachments/${file.id}`, { token: agent.token });
    expect(asAgent.status).toBe(200);
    expect(await (await fetch(asAgent.body.downloadUrl)).text()).toBe('stack');
    expect((await api.get(`/attachments/${file.id}`, { token: auditor.token })).status).toBe(200);
    const asAna = await api.get(`/attachments/${file.id}`, { token: ana.token });
    expect(asAna.status).toBe(404);
    expect(asAna.body.error.code).toBe('not_found');
    expect((await api.get(`/tickets/${ticket.id}`, { token: ana.token })).body.ticket.attachments).toEqual([]);
  });

  it('must be uploads of the note writer', async () => {
    const ticket = await openTicket(ana);
    const hers = await uploadFile(ana, { fileName: 'dela.txt', contentType: 'text/plain', content: 'x' });
    const res = await note(agent, ticket.id, { body: 'com arquivo alheio', attachmentIds: [hers.id] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'attachmentIds.0' })]);
    expect(types(await timeline(agent, ticket.id))).toEqual(['created']);
  });
});

describe('over WebSocket', () => {
  it("never pushes a note to a customer's socket, while staff sockets get it", async () => {
    const ticket = await openTicket(ana);
    const customer = await connectAs(ana);
    const staff = await connectAs(agent);
    await expectReply(customer, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    await expectReply(staff, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });

    const written = await note(agent, ticket.id, { body: 'Só entre nós' });
    const reply = await api.post(`/tickets/${ticket.id}/messages`, { token: agent.token, body: { body: 'Olá, Ana!' } });
    expect(reply.status).toBe(201);

    await staff.next((f) => f.type === 'event' && f.event.id === reply.body.event.id);
    await customer.next((f) => f.type === 'event' && f.event.id === reply.body.event.id);
    expect(staff.pushedEvents(ticket.id).map((e) => e.id)).toContain(written.body.event.id);
    // The note was pushed (and its request answered) before the reply was sent: had it reached this socket,
    // it would be here already.
    expect(types(customer.pushedEvents(ticket.id))).not.toContain('note');
  });

  it("leaves notes out of a customer's `missed` and keeps them in an agent's", async () => {
    const ticket = await openTicket(ana);
    const created = (await timeline(ana, ticket.id))[0];
    await note(agent, ticket.id, { body: 'anotação' });

    const customer = await connectAs(ana);
    const missed = await expectReply(customer, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    expect(types(missed.missed)).toEqual(['created']);
    const after = await expectReply(customer, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
      after: created.id,
    });
    expect(after.missed).toEqual([]);

    const staff = await connectAs(agent);
    const staffMissed = await expectReply(staff, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    expect(types(staffMissed.missed)).toEqual(['created', 'note']);
  });

  it('leaves notes out of the timeline a repeated chat.start answers with', async () => {
    const person = await world.platformUser();
    const chatter = await connectAs(person);
    const clientMessageId = `cm-${ulid()}`;
    const { ticket } = await startChat(chatter, { clientMessageId });
    expect((await note(agent, ticket.id, { body: 'usuário da plataforma X' })).status).toBe(201);

    const again = await startChat(chatter, { clientMessageId });

    expect(again.ticket.id).toBe(ticket.id);
    expect(types(again.events)).toEqual(['created', 'message']);
  });
});
