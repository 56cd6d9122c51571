// The chat over real WebSockets through the local gateway: conversations that are tickets, who gets which
// push, and what is stored.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { ids, timeline } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { uploadFile } from '../tickets/support.js';
import { bodies, chatWithAgent, connectAs, expectError, expectReply, messages, send, startChat } from './support.js';

const document = { type: 'nfe', id: '35240112345678000199550010000012341000012345', title: 'NF-e 1234' };

describe('chat.start', () => {
  it('opens a chat ticket with its first message and the document, and subscribes the sender', async () => {
    const ana = await world.customer();
    const client = await connectAs(ana);

    const { ticket, events } = await startChat(client, {
      topic: 'fiscal_document',
      message: 'Não consigo baixar o XML desta nota.\nJá tentei duas vezes.',
      groupId: ana.group.id,
      documentRef: document,
    });

    expect(ticket).toMatchObject({
      channel: 'chat',
      topic: 'fiscal_document',
      groupId: ana.group.id,
      requesterId: ana.user.id,
      subject: 'Não consigo baixar o XML desta nota.',
      description: 'Não consigo baixar o XML desta nota.\nJá tentei duas vezes.',
      documentRef: document,
      status: 'new',
      lastMessageAt: expect.any(String),
    });
    expect(events.map((e) => e.type)).toEqual(['created', 'message']);
    expect(await timeline(ana, ticket.id)).toEqual(events);

    // Subscribed: an agent's answer reaches this connection without a ticket.subscribe.
    const agent = await world.agent();
    const answer = await api.post(`/tickets/${ticket.id}/messages`, { token: agent.token, body: { body: 'Olá!' } });
    expect(answer.status).toBe(201);
    const pushed = await client.next((f) => f.type === 'event');
    expect(pushed).toEqual({ type: 'event', ticketId: ticket.id, event: answer.body.event });
  });

  it('lets a host-platform user chat without a group', async () => {
    const client = await connectAs(await world.platformUser());
    const { ticket } = await startChat(client);
    expect(ticket.channel).toBe('chat');
    expect(ticket.groupId).toBeUndefined();
  });

  it("tells every agent's connection about the new chat, and no one else", async () => {
    const agent = await connectAs(await world.agent());
    const admin = await connectAs(await world.admin());
    const bystander = await connectAs(await world.customer());
    const chatter = await connectAs(await world.platformUser());

    const { ticket } = await startChat(chatter);

    for (const staff of [agent, admin]) {
      const update = await staff.next((f) => f.type === 'queue.updated' && f.ticket.id === ticket.id);
      expect(update.ticket).toMatchObject({ id: ticket.id, channel: 'chat', status: 'new' });
    }
    // The bystander's next frame is its own pong: no queue.updated came before it.
    await expectReply(bystander, 'pong', 'ping');
    expect(bystander.frames.filter((f) => f.type !== 'pong')).toEqual([]);
  });

  it('opens no second chat when sent again with the same clientMessageId', async () => {
    const person = await world.platformUser();
    const client = await connectAs(person);
    const first = await startChat(client, { clientMessageId: 'start-1' });
    const again = await startChat(client, { clientMessageId: 'start-1' });

    expect(again.ticket.id).toBe(first.ticket.id);
    const mine = await api.get('/tickets', { token: person.token });
    expect(ids(mine.body.items)).toEqual([first.ticket.id]);
  });

  it("refuses an auditor and another group's groupId", async () => {
    const auditor = await connectAs(await world.auditor());
    await expectError(auditor, 'forbidden', 'chat.start', { topic: 'other', message: 'oi' });

    const ana = await connectAs(await world.customer());
    const otherGroup = await world.group();
    await expectError(ana, 'not_found', 'chat.start', { topic: 'other', message: 'oi', groupId: otherGroup.id });
  });

  it('refuses an empty message, one over 10 000 characters and an unknown topic', async () => {
    const client = await connectAs(await world.platformUser());
    await expectError(client, 'validation_failed', 'chat.start', { topic: 'other', message: '   ' });
    await expectError(client, 'validation_failed', 'chat.start', { topic: 'other', message: 'a'.repeat(10_001) });
    await expectError(client, 'validation_failed', 'chat.start', { topic: 'weather', message: 'oi' });
    const { ticket } = await startChat(client, { message: 'é'.repeat(10_000) });
    expect(ticket.description).toHaveLength(10_000);
  });
});

describe('message.send', () => {
  it("stores the message, acks the sender and pushes it to the other subscribers, the sender's other tabs included", async () => {
    const person = await world.platformUser();
    const tab1 = await connectAs(person);
    const tab2 = await connectAs(person);
    const agent = await world.agent();
    const agentClient = await connectAs(agent);
    const { ticket } = await startChat(tab1);
    await expectReply(tab2, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    await expectReply(agentClient, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });

    const event = await send(tab1, ticket.id, 'Alguém aí?');

    expect(event).toMatchObject({
      ticketId: ticket.id,
      type: 'message',
      actor: { id: person.user.id, role: 'platform_user' },
      data: { body: 'Alguém aí?' },
    });
    for (const other of [tab2, agentClient]) {
      expect(await other.next((f) => f.type === 'event')).toEqual({ type: 'event', ticketId: ticket.id, event });
    }
    // The sending connection got the ack, not the push as well.
    await expectReply(tab1, 'pong', 'ping');
    expect(tab1.pushedEvents(ticket.id)).toEqual([]);
    const stored = await timeline(person, ticket.id);
    expect(stored.at(-1)).toEqual(event);
    const read = await api.get(`/tickets/${ticket.id}`, { token: person.token });
    expect(read.body.ticket.lastMessageAt).toBe(event.createdAt);
  });

  it('acks a resent clientMessageId with the same event and stores nothing new', async () => {
    const { person, chatter: client, ticket, agent: watcher } = await chatWithAgent();

    const first = await send(client, ticket.id, 'Uma vez só', 'same-id');
    const again = await send(client, ticket.id, 'Uma vez só', 'same-id');

    expect(again).toEqual(first);
    expect(bodies(await timeline(person, ticket.id))).toEqual([ticket.description, 'Uma vez só']);
    // The watcher saw it once: the next thing it gets after the single push is its own pong.
    await expectReply(watcher, 'pong', 'ping');
    expect(watcher.pushedEvents(ticket.id)).toEqual([first]);
  });

  it("keeps another group's customer out: not_found, nothing stored, nothing pushed", async () => {
    const owner = await world.customer();
    const ownerClient = await connectAs(owner);
    const { ticket } = await startChat(ownerClient, { groupId: owner.group.id });
    const outsider = await connectAs(await world.customer());

    await expectError(outsider, 'not_found', 'message.send', {
      ticketId: ticket.id,
      body: 'intruso',
      clientMessageId: 'x1',
    });
    await expectError(outsider, 'not_found', 'ticket.subscribe', { ticketId: ticket.id });
    await expectError(outsider, 'not_found', 'typing', { ticketId: ticket.id });

    // A message the owner's colleague sends afterwards is the first and only thing the owner is pushed.
    const colleague = await world.customer({ group: owner.group });
    const marker = await api.post(`/tickets/${ticket.id}/messages`, { token: colleague.token, body: { body: 'ok' } });
    expect(marker.status).toBe(201);
    await ownerClient.next((f) => f.type === 'event');
    expect(ownerClient.pushedEvents(ticket.id)).toEqual([marker.body.event]);
    expect(bodies(await timeline(owner, ticket.id))).toEqual([ticket.description, 'ok']);
  });

  it('refuses an auditor with forbidden, though it may follow the ticket', async () => {
    const person = await world.platformUser();
    const { ticket } = await startChat(await connectAs(person));
    const auditor = await connectAs(await world.auditor());

    await expectError(auditor, 'forbidden', 'message.send', { ticketId: ticket.id, body: 'oi', clientMessageId: 'a1' });
    await expectError(auditor, 'forbidden', 'typing', { ticketId: ticket.id });
    const subscribed = await expectReply(auditor, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    expect(subscribed.missed.map((e: { type: string }) => e.type)).toEqual(['created', 'message']);
    expect(messages(await timeline(person, ticket.id))).toHaveLength(1);
  });

  it('reaches WebSocket subscribers when the message comes from the portal', async () => {
    const ana = await world.customer();
    const created = await api.post('/tickets', {
      token: ana.token,
      body: { groupId: ana.group.id, topic: 'billing', subject: 'Boleto', description: 'Veio em dobro' },
    });
    expect(created.status).toBe(201);
    const ticketId = created.body.ticket.id;
    const agent = await world.agent();
    const agentClient = await connectAs(agent);
    await expectReply(agentClient, 'ticket.subscribed', 'ticket.subscribe', { ticketId });

    const posted = await api.post(`/tickets/${ticketId}/messages`, { token: ana.token, body: { body: 'Urgente!' } });

    expect(posted.status).toBe(201);
    expect(await agentClient.next((f) => f.type === 'event')).toEqual({
      type: 'event',
      ticketId,
      event: posted.body.event,
    });
    expect(await agentClient.next((f) => f.type === 'ticket.updated')).toMatchObject({
      ticket: { id: ticketId, lastMessageAt: posted.body.event.createdAt },
    });
  });
});

describe('host-platform users', () => {
  it("see only their own chats: another's is not found over HTTP and WebSocket, and nothing is written", async () => {
    const ana = await world.platformUser();
    const anaClient = await connectAs(ana);
    const word = `xarope${ulid().toLowerCase()}`;
    const { ticket } = await startChat(anaClient, { message: `Minha nota ${word} sumiu` });
    const file = await uploadFile(ana, { fileName: 'nota.xml', contentType: 'application/xml', content: '<nfe/>' });
    const attached = await api.post(`/tickets/${ticket.id}/attachments`, {
      token: ana.token,
      body: { attachmentIds: [file.id] },
    });
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
    const before = await timeline(ana, ticket.id);
    await expectReply(anaClient, 'pong', 'ping');
    const pushedBefore = anaClient.frames.length;

    const bia = await world.platformUser();
    const { ticket: hers } = await startChat(await connectAs(bia));
    const overHttp = [
      await api.get(`/tickets/${ticket.id}`, { token: bia.token }),
      await api.get(`/tickets/${ticket.id}/events`, { token: bia.token }),
      await api.post(`/tickets/${ticket.id}/messages`, { token: bia.token, body: { body: 'intrusa' } }),
      await api.patch(`/tickets/${ticket.id}`, { token: bia.token, body: { status: 'closed' } }),
      await api.get(`/attachments/${file.id}`, { token: bia.token }),
    ];
    expect(overHttp.map((r) => [r.status, r.body.error?.code])).toEqual(Array(5).fill([404, 'not_found']));

    const biaClient = await connectAs(bia);
    await expectError(biaClient, 'not_found', 'ticket.subscribe', { ticketId: ticket.id });
    await expectError(biaClient, 'not_found', 'message.send', {
      ticketId: ticket.id,
      body: 'oi',
      clientMessageId: 'b1',
    });
    await expectError(biaClient, 'not_found', 'typing', { ticketId: ticket.id });

    expect(await timeline(ana, ticket.id)).toEqual(before);
    expect((await api.get(`/tickets/${ticket.id}`, { token: ana.token })).body.ticket).toMatchObject({
      status: 'new',
      version: 2,
    });
    // Ana's connection was pushed nothing of it: her next frame is her own pong.
    await expectReply(anaClient, 'pong', 'ping');
    expect(anaClient.frames.slice(pushedBefore).map((f) => f.type)).toEqual(['pong']);

    // Lists and searches: each sees her own chat only.
    const list = async (person: { token: string }, q?: string) =>
      ids((await api.get(`/tickets${q ? `?q=${q}` : ''}`, { token: person.token })).body.items);
    expect(await list(bia)).toEqual([hers.id]);
    expect(await list(bia, word)).toEqual([]);
    expect(await list(ana, word)).toEqual([ticket.id]);
  });

  it('chat without a group, and no customer of any group finds it', async () => {
    const person = await world.platformUser();
    const word = `melado${ulid().toLowerCase()}`;
    const { ticket } = await startChat(await connectAs(person), { message: `Ajuda com ${word}` });
    expect(ticket.groupId).toBeUndefined();

    const customer = await world.customer();
    const read = await api.get(`/tickets/${ticket.id}`, { token: customer.token });
    expect([read.status, read.body.error.code]).toEqual([404, 'not_found']);
    expect((await api.get(`/tickets/${ticket.id}/events`, { token: customer.token })).status).toBe(404);
    expect((await api.get(`/tickets?q=${word}`, { token: customer.token })).body.items).toEqual([]);
    await expectError(await connectAs(customer), 'not_found', 'ticket.subscribe', { ticketId: ticket.id });
  });
});

describe('ticket.subscribe and ticket.unsubscribe', () => {
  it('answers the events after `after`, in order, and the whole timeline without it', async () => {
    const person = await world.platformUser();
    const client = await connectAs(person);
    const { ticket, events } = await startChat(client);
    const sent = [];
    for (const body of ['um', 'dois', 'três']) sent.push(await send(client, ticket.id, body));

    const watcher = await connectAs(await world.agent());
    const all = await expectReply(watcher, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    const some = await expectReply(watcher, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
      after: sent[0].id,
    });
    const none = await expectReply(watcher, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
      after: sent[2].id,
    });

    expect(all).toMatchObject({ ticketId: ticket.id, missed: [...events, ...sent], more: false });
    expect(some.missed).toEqual(sent.slice(1));
    expect(none.missed).toEqual([]);
  });

  it('answers a long timeline in parts that fit one WebSocket message, each asked after the last', async () => {
    const person = await world.platformUser();
    const client = await connectAs(person);
    const { ticket } = await startChat(client);
    // Twelve 10 000-character messages of two-byte letters: far over what one 128 KB message can carry.
    for (let i = 0; i < 12; i++) await send(client, ticket.id, `${i} ${'ç'.repeat(9_990)}`);

    const watcher = await connectAs(await world.agent());
    const received = [];
    let after: string | undefined;
    for (;;) {
      const reply = await expectReply(watcher, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id, after });
      expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(128 * 1024);
      received.push(...reply.missed);
      if (!reply.more) break;
      expect(reply.missed.length).toBeGreaterThan(0);
      after = reply.missed.at(-1).id;
    }

    expect(received).toEqual(await timeline(person, ticket.id));
    expect(received.length).toBe(14);
  });

  it('refuses an `after` that is not an event id', async () => {
    const client = await connectAs(await world.platformUser());
    const { ticket } = await startChat(client);
    await expectError(client, 'validation_failed', 'ticket.subscribe', { ticketId: ticket.id, after: 'yesterday' });
  });

  it('stops the pushes of a ticket after ticket.unsubscribe', async () => {
    const person = await world.platformUser();
    const chatter = await connectAs(person);
    const first = await startChat(chatter);
    const second = await startChat(chatter);
    const agent = await connectAs(await world.agent());
    for (const { ticket } of [first, second]) {
      await expectReply(agent, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    }

    const reply = await expectReply(agent, 'ticket.unsubscribed', 'ticket.unsubscribe', { ticketId: first.ticket.id });
    expect(reply.ticketId).toBe(first.ticket.id);
    await send(chatter, first.ticket.id, 'no primeiro');
    const marker = await send(chatter, second.ticket.id, 'no segundo');

    await agent.next((f) => f.type === 'event' && f.event.id === marker.id);
    expect(agent.pushedEvents(first.ticket.id)).toEqual([]);
  });
});

describe('typing', () => {
  it("tells the ticket's other subscribers who is typing and answers the typist nothing", async () => {
    const { person, chatter, ticket, agent } = await chatWithAgent();

    chatter.send({ action: 'typing', ticketId: ticket.id });

    expect(await agent.next((f) => f.type === 'typing')).toEqual({
      type: 'typing',
      ticketId: ticket.id,
      actor: { id: person.user.id, name: person.user.name, role: 'platform_user' },
    });
    await expectReply(chatter, 'pong', 'ping');
    expect(chatter.frames.filter((f) => f.type === 'typing' || f.type === 'error')).toEqual([]);
  });

  it('answers not_found for a ticket the connection does not follow', async () => {
    const person = await world.platformUser();
    const chatter = await connectAs(person);
    const { ticket } = await startChat(chatter);
    const otherTab = await connectAs(person);
    await expectError(otherTab, 'not_found', 'typing', { ticketId: ticket.id });
  });
});

describe('the queue', () => {
  it("takes a chat off every agent's queue when one agent assigns it to themself", async () => {
    const taker = await world.agent();
    const takerClient = await connectAs(taker);
    const colleague = await world.agent();
    const colleagueClient = await connectAs(colleague);
    const { ticket } = await startChat(await connectAs(await world.platformUser()));
    await colleagueClient.next((f) => f.type === 'queue.updated' && f.ticket.id === ticket.id);
    const queue = await api.get('/queue', { token: colleague.token });
    expect(ids(queue.body.items)).toContain(ticket.id);

    const taken = await api.patch(`/tickets/${ticket.id}`, {
      token: taker.token,
      headers: { 'if-match': String(ticket.version) },
      body: { assigneeId: taker.user.id },
    });

    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    for (const client of [colleagueClient, takerClient]) {
      const update = await client.next((f) => f.type === 'queue.updated' && f.ticket.assigneeId === taker.user.id);
      expect(update.ticket.id).toBe(ticket.id);
    }
    const after = await api.get('/queue', { token: colleague.token });
    expect(ids(after.body.items)).not.toContain(ticket.id);
  });
});
