// The founding story, over real WebSockets through the local gateway: someone using the host platform
// asks about the document in front of them, an agent takes the chat from the queue, they talk, the
// person's connection drops and comes back without losing a word, and the conversation is then a
// ticket in the portal with its whole timeline.
import { SignJWT } from 'jose';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { api, type Json } from '../../support/http.js';
import { ids, timeline } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { connectAs, expectReply, send } from './support.js';

async function signInFromHostPlatform(name: string) {
  const email = `maria-${ulid().toLowerCase()}@cliente.example`;
  const platformToken = await new SignJWT({ sub: `host-${ulid()}`, email, name })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(inject('stack').env.PLATFORM_SECRET));
  const res = await api.post('/auth/platform', { body: { platformToken } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { token: res.body.accessToken as string, user: res.body.user };
}

describe('the founding story', () => {
  it('a host-platform user chats with an agent about a document, drops, comes back, and finds it all in the portal', async () => {
    const maria = await signInFromHostPlatform('Maria Souza');
    expect(maria.user.role).toBe('platform_user');
    const carla = await world.agent({ name: 'Carla (suporte)' });
    const bruno = await world.agent({ name: 'Bruno (suporte)' });
    const carlaClient = await connectAs(carla);
    const brunoClient = await connectAs(bruno);

    // Maria opens "Atendimento Online" from the NF-e she is looking at.
    const document = {
      type: 'nfe',
      id: '35240112345678000199550010000012341000012345',
      title: 'NF-e 1234 — Distribuidora Exemplo',
      url: 'https://plataforma.example/nfe/35240112345678000199550010000012341000012345',
    };
    let mariaClient = await connectAs(maria);
    const started = await expectReply(mariaClient, 'chat.started', 'chat.start', {
      topic: 'fiscal_document',
      message: 'Não consigo baixar o XML desta nota. Aparece "documento indisponível".',
      documentRef: document,
      clientMessageId: 'maria-start-1',
    });
    const ticket = started.ticket;
    expect(ticket).toMatchObject({ channel: 'chat', status: 'new', documentRef: document, requesterId: maria.user.id });
    const mariaSaw: Json[] = [...started.events];

    // Both agents see it arrive in the queue; Carla takes it, and it leaves Bruno's queue.
    for (const client of [carlaClient, brunoClient]) {
      await client.next((f) => f.type === 'queue.updated' && f.ticket.id === ticket.id && !f.ticket.assigneeId);
    }
    const queue = await api.get('/queue', { token: carla.token });
    expect(ids(queue.body.items)).toContain(ticket.id);
    const taken = await api.patch(`/tickets/${ticket.id}`, {
      token: carla.token,
      headers: { 'if-match': String(ticket.version) },
      body: { assigneeId: carla.user.id },
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    await brunoClient.next((f) => f.type === 'queue.updated' && f.ticket.assigneeId === carla.user.id);
    expect(ids((await api.get('/queue', { token: bruno.token })).body.items)).not.toContain(ticket.id);
    // Taking the chat also opens it.
    const assigned = await mariaClient.next((f) => f.type === 'event' && f.event.type === 'assigned');
    const opened = await mariaClient.next((f) => f.type === 'event' && f.event.type === 'status_changed');
    expect(opened.event.data).toEqual({ from: 'new', to: 'open' });
    mariaSaw.push(assigned.event, opened.event);

    // They talk.
    const carlaJoined = await expectReply(carlaClient, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
    });
    expect(carlaJoined.missed).toEqual(mariaSaw);
    carlaClient.send({ action: 'typing', ticketId: ticket.id });
    expect((await mariaClient.next((f) => f.type === 'typing')).actor).toMatchObject({ id: carla.user.id });
    const hello = await send(carlaClient, ticket.id, 'Olá, Maria! Vou verificar a nota para você.');
    mariaSaw.push((await mariaClient.next((f) => f.type === 'event' && f.event.id === hello.id)).event);
    const reply = await send(mariaClient, ticket.id, 'Obrigada! Preciso dela ainda hoje.');
    mariaSaw.push(reply);
    expect((await carlaClient.next((f) => f.type === 'event' && f.event.id === reply.id)).event).toEqual(reply);

    // Maria's connection drops without a goodbye while Carla keeps writing.
    mariaClient.socket.terminate();
    await mariaClient.closed;
    const whileAway = [
      await send(carlaClient, ticket.id, 'Encontrei: a SEFAZ ainda estava processando a autorização.'),
      await send(carlaClient, ticket.id, 'Já está liberado. Pode tentar de novo?'),
    ];

    // She comes back and asks for what she missed after the last event she saw.
    mariaClient = await connectAs(maria);
    const back = await expectReply(mariaClient, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
      after: mariaSaw.at(-1)?.id,
    });
    expect(back.missed).toEqual(whileAway);
    mariaSaw.push(...back.missed);
    const thanks = await send(mariaClient, ticket.id, 'Consegui baixar. Muito obrigada!');
    mariaSaw.push(thanks);
    await carlaClient.next((f) => f.type === 'event' && f.event.id === thanks.id);

    // Nothing missed, nothing twice, in the stored order.
    expect(new Set(ids(mariaSaw)).size).toBe(mariaSaw.length);
    const stored = await timeline(maria, ticket.id);
    expect(stored).toEqual(mariaSaw);
    expect(stored.map((e) => e.type)).toEqual([
      'created',
      'message',
      'assigned',
      'status_changed',
      'message',
      'message',
      'message',
      'message',
      'message',
    ]);

    // The conversation is a ticket in the portal, for her and for the agent who took it.
    const mine = await api.get('/tickets', { token: maria.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        id: ticket.id,
        channel: 'chat',
        assigneeId: carla.user.id,
        documentRef: document,
        lastMessageAt: thanks.createdAt,
      }),
    ]);
    const carlas = await api.get(`/tickets?assigneeId=${carla.user.id}`, { token: carla.token });
    expect(ids(carlas.body.items)).toContain(ticket.id);
  });
});
