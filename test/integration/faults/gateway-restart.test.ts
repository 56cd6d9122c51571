// The local gateway dies (SIGKILL) in the middle of a conversation, with a message in flight, and comes back.
// Clients do what the web app does: get a new connection ticket, connect, `ticket.subscribe` with the last
// event they saw, and resend the unacknowledged message with the same clientMessageId. Nothing is lost,
// nothing is stored or shown twice, and the connections that died with the gateway (no $disconnect ran) are
// removed by the first push that finds them gone.
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, openClient, openTicket, type RealtimeClient, storedTimeline } from '../../../bench/clients.js';
import { channels, listChannels, listSubscribers } from '../../../shared/store/connections.js';

/** The ids of the connections subscribed to `channel`. */
const subscriberIds = async (channel: string): Promise<string[]> =>
  (await listSubscribers(channel)).map((s) => s.connectionId);

import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from './isolated.js';

const isolated = useIsolatedGateway();
const byId = (a: Json, b: Json) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

let customer: Awaited<ReturnType<typeof world.customer>>;
let agent: Person;
beforeAll(async () => {
  customer = await world.customer();
  agent = await world.agent();
});

/** One side of the conversation: every message event it holds, however it got it, across its connections. */
class Participant {
  client!: RealtimeClient;
  readonly held: Json[] = [];

  constructor(
    readonly person: Person,
    readonly ticketId: string,
  ) {}

  async connect(after?: string): Promise<void> {
    this.client = await openClient(isolated.urls, this.person.token);
    this.client.onPush((frame) => {
      if (frame.type === 'event' && frame.event.type === 'message') this.held.push(frame.event);
    });
    const reply = await this.client.request({ action: 'ticket.subscribe', ticketId: this.ticketId, after });
    expect(reply.type, JSON.stringify(reply)).toBe('ticket.subscribed');
    this.held.push(...reply.missed.filter((e: Json) => e.type === 'message'));
  }

  message(body: string) {
    return { action: 'message.send', ticketId: this.ticketId, body, clientMessageId: ulid() };
  }

  async send(frame: Json): Promise<Json> {
    const reply = await this.client.request(frame);
    expect(reply.type, JSON.stringify(reply)).toBe('message.ack');
    this.held.push(reply.event);
    return reply.event;
  }

  lastSeen(): string {
    return [...this.held].sort(byId).at(-1)?.id;
  }
}

describe('the gateway restarted mid-conversation', () => {
  it('clients reconnect and resubscribe after what they saw: nothing lost, nothing twice', async () => {
    const ticket = await openTicket(isolated.urls.httpUrl, customer.token, {
      groupId: customer.group.id,
      topic: 'billing',
      subject: 'Boleto',
      description: 'Boleto vencido',
    });
    const ana = new Participant(customer, ticket.id);
    const bruno = new Participant(agent, ticket.id);
    await ana.connect();
    await bruno.connect();
    await ana.send(ana.message('Meu boleto venceu'));
    await bruno.send(bruno.message('Vou gerar outro'));
    await ana.send(ana.message('Obrigada'));
    const before = await subscriberIds(channels.ticket(ticket.id));
    expect(before).toHaveLength(2);

    // A message in flight when the gateway dies: it may or may not have been stored, its ack never comes.
    const unacknowledged = ana.message('Pode mandar por e-mail?');
    const lost = ana.client.request(unacknowledged).catch((error: Error) => error);
    await isolated.gateway.crash();
    expect(await lost).toBeInstanceOf(Error);
    await Promise.all([ana.client.closed, bruno.client.closed]);

    await isolated.gateway.restart();
    await bruno.connect(bruno.lastSeen());
    await bruno.send(bruno.message('Já enviei'));
    await ana.connect(ana.lastSeen());
    // The resend acks the stored message if the first attempt got that far, or stores it now: once either way.
    const resent = await ana.send(unacknowledged);
    const last = await bruno.send(bruno.message('Mais alguma coisa?'));
    // Pushes go out before the sender's ack, and Ana's pong comes after what was pushed to her.
    expect((await ana.client.request({ action: 'ping' })).type).toBe('pong');

    const stored = (await storedTimeline(isolated.urls.httpUrl, customer.token, ticket.id)).filter(
      (e: Json) => e.type === 'message',
    );
    expect(stored.map((e: Json) => e.data.body).sort()).toEqual(
      [
        'Meu boleto venceu',
        'Vou gerar outro',
        'Obrigada',
        'Pode mandar por e-mail?',
        'Já enviei',
        'Mais alguma coisa?',
      ].sort(),
    );
    expect(stored.filter((e: Json) => e.data.clientMessageId === unacknowledged.clientMessageId)).toEqual([resent]);
    expect(stored.at(-1)).toEqual(last);
    for (const participant of [ana, bruno]) {
      const counts = new Map<string, number>();
      for (const event of participant.held) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
      // Ana may hold her resent message twice (from `missed` and from its ack): the same event, shown once.
      const allowed = participant === ana ? resent.id : undefined;
      expect([...counts].filter(([id, n]) => n > 1 && id !== allowed)).toEqual([]);
      expect([...new Map(participant.held.map((e) => [e.id, e])).values()].sort(byId)).toEqual(stored);
    }

    // The connections that died with the gateway were removed by the first push that found them gone.
    const after = await subscriberIds(channels.ticket(ticket.id));
    expect(after).toHaveLength(2);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    for (const id of before) expect(await listChannels(id)).toEqual([]);
    await Promise.all([ana.client.close(), bruno.client.close()]);
  });
});
