// The customer portal end to end, through the local gateway, DynamoDB Local and the S3 emulator: a
// customer opens a ticket with an uploaded file, finds it by topic and by an accent-free word, follows its
// timeline while an agent answers and changes its status — and a customer of another group can neither
// see, list, search, download nor post to it.
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { ids, listAll } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { uploadFile } from './support.js';

describe('the customer portal', () => {
  it('opens a ticket with evidence, finds it, follows its timeline, and keeps it from other groups', async () => {
    const ana = await world.customer({ name: 'Ana Souza' });
    const caio = await world.agent({ name: 'Caio Lima' });
    const outsider = await world.customer();

    // Evidence first: the browser uploads the XML straight to S3 with the presigned form.
    const xml = '<nfeProc versao="4.00"><NFe/></nfeProc>';
    const file = await uploadFile(ana, { fileName: 'NF-e 1042.xml', contentType: 'application/xml', content: xml });

    const created = await api.post('/tickets', {
      token: ana.token,
      headers: { 'idempotency-key': `portal-${file.id}` },
      body: {
        groupId: ana.group.id,
        topic: 'fiscal_document',
        subject: 'Nota Fiscal Eletrônica rejeitada',
        description: 'A SEFAZ devolveu a rejeição 539 ao transmitir a nota.',
        priority: 'high',
        documentRef: { type: 'nfe', id: '35240112345678000199550010000010421000010420', title: 'NF-e 1042' },
        attachmentIds: [file.id],
      },
    });
    expect(created.status).toBe(201);
    const ticket = created.body.ticket;
    expect(ticket).toMatchObject({
      number: expect.any(Number),
      groupId: ana.group.id,
      requesterId: ana.user.id,
      subject: 'Nota Fiscal Eletrônica rejeitada',
      topic: 'fiscal_document',
      priority: 'high',
      status: 'new',
      channel: 'portal',
      version: 1,
      attachments: [{ id: file.id, fileName: 'NF-e 1042.xml', contentType: 'application/xml', size: xml.length }],
    });
    expect(created.headers.etag).toBe('"1"');

    // Found by topic, and by words typed without accents or capitals.
    expect(ids(await listAll(ana, { topic: 'fiscal_document' }))).toContain(ticket.id);
    expect(ids(await listAll(ana, { topic: 'billing' }))).not.toContain(ticket.id);
    expect(ids(await listAll(ana, { q: 'nota fiscal' }))).toEqual([ticket.id]);
    expect(ids(await listAll(ana, { q: 'ELETRONICA' }))).toEqual([ticket.id]);
    expect(ids(await listAll(ana, { q: 'rejeicao 539' }))).toEqual([ticket.id]);
    expect(ids(await listAll(ana, { q: 'nota boleto' }))).toEqual([]);
    expect(ids(await listAll(caio, { q: 'eletronica', groupId: ana.group.id }))).toEqual([ticket.id]);

    // The file downloads through a short-lived link, for the customer and the agent alike.
    for (const person of [ana, caio]) {
      const download = await api.get(`/attachments/${file.id}`, { token: person.token });
      expect(download.status).toBe(200);
      expect(download.body.attachment).toMatchObject({ id: file.id, fileName: 'NF-e 1042.xml' });
      const body = await fetch(download.body.downloadUrl);
      expect(body.status).toBe(200);
      expect(await body.text()).toBe(xml);
    }

    // The agent takes it, answers and waits for the customer; the customer answers back and then closes.
    // Every change moves the version on, a message too: a PATCH names the version it was decided on.
    const patch = async (person: typeof caio, body: object) => {
      const current = await api.get(`/tickets/${ticket.id}`, { token: person.token });
      const version = current.body.ticket.version;
      expect(current.headers.etag).toBe(`"${version}"`);
      const res = await api.patch(`/tickets/${ticket.id}`, {
        token: person.token,
        headers: { 'if-match': `"${version}"` },
        body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.ticket.version).toBe(version + 1);
      return res.body.ticket;
    };
    expect(await patch(caio, { assigneeId: caio.user.id, status: 'open' })).toMatchObject({
      assigneeId: caio.user.id,
      status: 'open',
      version: 2,
    });
    const answer = await api.post(`/tickets/${ticket.id}/messages`, {
      token: caio.token,
      body: { body: 'Olá Ana, a rejeição 539 indica duplicidade. Pode conferir a numeração?' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.event).toMatchObject({
      type: 'message',
      actor: { id: caio.user.id, name: 'Caio Lima', role: 'agent' },
    });
    await patch(caio, { status: 'pending_customer' });

    const timeline = await api.get(`/tickets/${ticket.id}/events`, { token: ana.token });
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'status_changed',
      'assigned',
      'message',
      'status_changed',
    ]);
    const seen = timeline.body.items.at(-1).id;

    // Her answer hands the ticket back to the agents.
    const reply = await api.post(`/tickets/${ticket.id}/messages`, {
      token: ana.token,
      body: { body: 'Era isso mesmo, obrigada!' },
    });
    expect(reply.status).toBe(201);
    expect((await api.get(`/tickets/${ticket.id}`, { token: ana.token })).body.ticket.status).toBe('open');
    const closed = await patch(ana, { status: 'closed' });
    expect(closed).toMatchObject({ status: 'closed', lastMessageAt: reply.body.event.createdAt });

    // Following the timeline from the last event seen gives exactly what happened since, in order.
    const since = await api.get(`/tickets/${ticket.id}/events?after=${seen}`, { token: ana.token });
    expect(since.body.items.map((e: { type: string; data: object }) => [e.type, e.data])).toEqual([
      ['message', { body: 'Era isso mesmo, obrigada!', attachments: [] }],
      ['status_changed', { from: 'pending_customer', to: 'open' }],
      ['status_changed', { from: 'open', to: 'closed' }],
    ]);
    expect(since.body.nextCursor).toBeNull();

    // The customer of another group: the ticket does not exist for them, however they ask.
    expect((await api.get(`/tickets/${ticket.id}`, { token: outsider.token })).status).toBe(404);
    expect((await api.get(`/tickets/${ticket.id}/events`, { token: outsider.token })).status).toBe(404);
    expect(ids(await listAll(outsider))).not.toContain(ticket.id);
    expect(ids(await listAll(outsider, { groupId: ana.group.id }))).toEqual([]);
    expect(ids(await listAll(outsider, { q: 'nota fiscal eletronica' }))).toEqual([]);
    expect((await api.get(`/attachments/${file.id}`, { token: outsider.token })).status).toBe(404);
    const intrusion = await api.post(`/tickets/${ticket.id}/messages`, {
      token: outsider.token,
      body: { body: 'Posso ver?' },
    });
    expect(intrusion.status).toBe(404);
    expect(intrusion.body.error.code).toBe('not_found');
    const forcedClose = await api.patch(`/tickets/${ticket.id}`, { token: outsider.token, body: { status: 'open' } });
    expect(forcedClose.status).toBe(404);
    // …and nothing they tried left a trace on the timeline.
    const after = await api.get(`/tickets/${ticket.id}/events?after=${seen}`, { token: ana.token });
    expect(after.body.items).toEqual(since.body.items);
  });
});
