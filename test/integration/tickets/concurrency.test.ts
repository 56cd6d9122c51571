// Retries and races: the same request twice gives one result; concurrent writers never lose or reorder
// anything; a stale version is a 409.
import { incrementBase32 } from 'ulid';
import { describe, expect, it } from 'vitest';
import { conditionFailed, transact } from '../../../shared/store/dynamo.js';
import { appendTicketItem, getTicketRecord } from '../../../shared/store/tickets.js';
import { type ApiResponse, api, type Json } from '../../support/http.js';
import { world } from '../../support/world.js';
import { openTicket, uploadFile } from './support.js';

describe('idempotent ticket creation', () => {
  it('returns the same ticket for the same key and body, and 409 for another body', async () => {
    const ana = await world.customer();
    const body = {
      groupId: ana.group.id,
      topic: 'billing',
      subject: 'Boleto duplicado',
      description: 'Veio duas vezes',
    };
    const headers = { 'idempotency-key': 'retry-me-0001' };
    const first = await api.post('/tickets', { token: ana.token, headers, body });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same JSON with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await api.post('/tickets', { token: ana.token, headers, body: reordered });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.ticket).toEqual(first.body.ticket);

    const other = await api.post('/tickets', {
      token: ana.token,
      headers,
      body: { ...body, subject: 'Outro assunto' },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');

    // Keys belong to their sender: someone else's identical key is a new ticket of theirs.
    const colleague = await world.customer({ group: ana.group });
    const theirs = await api.post('/tickets', { token: colleague.token, headers, body });
    expect(theirs.status).toBe(201);
    expect(theirs.body.ticket.id).not.toBe(first.body.ticket.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('opens one ticket when the same request races with itself', async () => {
    const ana = await world.customer();
    const body = { groupId: ana.group.id, topic: 'usage', subject: 'Clique duplo', description: 'Enviei duas vezes' };
    const headers = { 'idempotency-key': `race-${ana.user.id}` };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.post('/tickets', { token: ana.token, headers, body })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.ticket.id)).size).toBe(1);
    const listed = await api.get('/tickets', { token: ana.token });
    expect(listed.body.items).toHaveLength(1);
  });
});

describe('a retried request carrying files', () => {
  // Each twin finds the files free when it looks; whichever commits first takes them, and the others
  // must answer with its result instead of refusing files that their own twin took.
  const files = (person: Parameters<typeof uploadFile>[0]) =>
    Promise.all(
      ['a', 'b'].map((name) =>
        uploadFile(person, { fileName: `${name}.txt`, contentType: 'text/plain', content: `arquivo ${name}` }),
      ),
    );
  /** Every twin got `status` and the same body; that body. */
  const oneAnswer = (answers: ApiResponse[], status: number): Json => {
    expect(
      answers.map((a) => a.status),
      JSON.stringify(answers.map((a) => a.body)),
    ).toEqual(answers.map(() => status));
    const [first, ...others] = answers.map((a) => a.body);
    for (const other of others) expect(other).toEqual(first);
    return first;
  };

  it('opens one ticket, and every twin gets the same answer', async () => {
    const ana = await world.customer();
    const attachmentIds = (await files(ana)).map((f) => f.id);
    const body = {
      groupId: ana.group.id,
      topic: 'other',
      subject: 'Com anexos',
      description: 'Reenviado',
      attachmentIds,
    };
    const headers = { 'idempotency-key': `files-${ana.user.id}` };

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.post('/tickets', { token: ana.token, headers, body })),
    );

    const first = oneAnswer(answers, 201);
    expect(first.ticket.attachments.map((a: { id: string }) => a.id)).toEqual(attachmentIds);
    const listed = await api.get('/tickets', { token: ana.token });
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([first.ticket.id]);
  });

  it('posts one message, and every twin gets the same event', async () => {
    const ana = await world.customer();
    const ticket = await openTicket(ana);
    const attachmentIds = (await files(ana)).map((f) => f.id);
    const body = { body: 'Segue em anexo', clientMessageId: 'com-anexos-1', attachmentIds };

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.post(`/tickets/${ticket.id}/messages`, { token: ana.token, body })),
    );

    const first = oneAnswer(answers, 201);
    const timeline = (await api.get(`/tickets/${ticket.id}/events`, { token: ana.token })).body.items;
    expect(timeline.filter((e: { type: string }) => e.type === 'message')).toEqual([first.event]);
    const now = (await api.get(`/tickets/${ticket.id}`, { token: ana.token })).body.ticket;
    expect(now.attachments.map((a: { id: string }) => a.id)).toEqual(attachmentIds);
  });
});

describe('ticket numbers', () => {
  it('are distinct and grow in the order tickets are opened, even when opened at once', async () => {
    const ana = await world.customer();
    const together = await Promise.all(Array.from({ length: 6 }, () => openTicket(ana)));
    const numbers = together.map((t) => t.number);
    expect(new Set(numbers).size).toBe(6);
    const later = await openTicket(ana);
    expect(later.number).toBeGreaterThan(Math.max(...numbers));
  });
});

describe('optimistic concurrency', () => {
  it('lets one of two PATCHes made on the same version win, and answers the other 409', async () => {
    const ana = await world.customer();
    const [caio, dora] = [await world.agent(), await world.agent()];
    const ticket = await openTicket(ana);
    const headers = { 'if-match': `"${ticket.version}"` };
    const [a, b] = await Promise.all([
      api.patch(`/tickets/${ticket.id}`, { token: caio.token, headers, body: { assigneeId: caio.user.id } }),
      api.patch(`/tickets/${ticket.id}`, { token: dora.token, headers, body: { assigneeId: dora.user.id } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? caio : dora;
    const now = await api.get(`/tickets/${ticket.id}`, { token: ana.token });
    expect(now.body.ticket).toMatchObject({ assigneeId: winner.user.id, version: 2 });
    const stale = await api.patch(`/tickets/${ticket.id}`, {
      token: caio.token,
      headers: { 'if-match': '1' },
      body: { priority: 'high' },
    });
    expect(stale.status).toBe(409);
    const malformed = await api.patch(`/tickets/${ticket.id}`, {
      token: caio.token,
      headers: { 'if-match': 'yesterday' },
      body: { priority: 'high' },
    });
    expect(malformed.status).toBe(400);
  });

  it('keeps every message of concurrent writers, each one’s in the order sent, and a reader following `after` misses none', async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const ticket = await openTicket(ana);
    const path = `/tickets/${ticket.id}/events`;
    // Two people writing at once, each sending the next message when the last one was answered.
    const write = async (person: typeof ana | typeof caio, who: string) => {
      const events: Json[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await api.post(`/tickets/${ticket.id}/messages`, {
          token: person.token,
          body: { body: `${who} ${i}` },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        events.push(res.body.event);
      }
      return events;
    };
    // Meanwhile a reader asks for what came after the last event it saw, as a client catching up does; one
    // last read after the writers are done.
    let writing = true;
    const reading = (async () => {
      const seen: Json[] = [];
      for (;;) {
        const last = !writing;
        const after = seen.at(-1)?.id;
        const res = await api.get(`${path}?limit=100${after ? `&after=${after}` : ''}`, { token: ana.token });
        seen.push(...res.body.items);
        if (last) return seen;
      }
    })();
    const written = await Promise.all([write(ana, 'ana'), write(caio, 'caio')]);
    writing = false;
    const seen = await reading;

    const stored = (await api.get(`${path}?limit=100`, { token: ana.token })).body.items;
    expect(seen).toEqual(stored);
    const messages = stored.filter((e: Json) => e.type === 'message');
    expect(messages).toHaveLength(8);
    for (const events of written) {
      // Event ids grow in commit order: one person's messages, one after the other, have growing ids.
      const sent = events.map((e) => e.id);
      expect(
        sent.every((id, i) => i === 0 || (sent[i - 1] as string) < id),
        JSON.stringify(sent),
      ).toBe(true);
      for (const event of events) expect(stored.find((e: Json) => e.id === event.id)).toEqual(event);
    }
    const final = (await api.get(`/tickets/${ticket.id}`, { token: ana.token })).body.ticket;
    expect(final.version).toBe(9);
    expect(final.lastMessageAt).toBe(messages.at(-1).createdAt);
  });
});

describe('messages racing each other', () => {
  it('need no version: one prepared before another landed still lands if its event comes later', async () => {
    const ana = await world.customer();
    const ticket = await openTicket(ana);
    const read = await getTicketRecord(ticket.id);
    const landed = await api.post(`/tickets/${ticket.id}/messages`, { token: ana.token, body: { body: 'primeira' } });
    expect(landed.status).toBe(201);
    const append = (lastEventId: string) =>
      transact([
        appendTicketItem(ticket.id, {
          lastEventId,
          updatedAt: new Date().toISOString(),
          lastMessageAt: new Date().toISOString(),
          attachments: [],
        }),
      ]);

    // Planned on the stale read (version 1), stamped after the message that landed: a version check would
    // refuse it for nothing.
    const later = incrementBase32(landed.body.event.id);
    await append(later);
    // Stamped right after the stale read's last event, i.e. before the one that landed: `after=` could skip it.
    const earlier = incrementBase32(read?.lastEventId as string);
    expect(await append(earlier).then(() => 'written', conditionFailed)).toBe(true);

    expect(await getTicketRecord(ticket.id)).toMatchObject({ version: 3, lastEventId: later });
  });
});

describe('client message ids', () => {
  it('make a resent message the same event, stored once', async () => {
    const ana = await world.customer();
    const ticket = await openTicket(ana);
    const send = () =>
      api.post(`/tickets/${ticket.id}/messages`, {
        token: ana.token,
        body: { body: 'Enviada com rede ruim', clientMessageId: 'c-42' },
      });
    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();
    expect(new Set([first.body.event.id, second.body.event.id, third.body.event.id]).size).toBe(1);
    const timeline = (await api.get(`/tickets/${ticket.id}/events`, { token: ana.token })).body.items;
    expect(timeline.filter((e: { type: string }) => e.type === 'message')).toHaveLength(1);
  });
});
