// Faults over real WebSockets: connections that vanish, clients that race, clients that drop and come back.
// Nothing the server stored may be missed or duplicated, and no recipient's trouble reaches the sender.
import { ulid } from 'ulid';
import { describe, expect, it, vi } from 'vitest';
import { openConnection, subscribe } from '../../../shared/realtime/connections.js';
import { channels, listChannels, listSubscribers } from '../../../shared/store/connections.js';

/** The ids of the connections subscribed to `channel`. */
const subscriberIds = async (channel: string): Promise<string[]> =>
  (await listSubscribers(channel)).map((s) => s.connectionId);

import type { Json } from '../../support/http.js';
import { ids, timeline } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { type ChatClient, chatWithAgent, connectAs, expectReply, messages, send, startChat } from './support.js';

/** How long the gateway may take to run $disconnect after a socket goes (it is asynchronous, as on AWS). */
const settle = { timeout: 10_000, interval: 50 };
const byId = (a: Json, b: Json) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const increasing = (values: string[]) => values.every((value, i) => i === 0 || (values[i - 1] as string) < value);

describe('connections that go away', () => {
  it("forgets a connection closed by its client, with its subscriptions and its place in the agents' queue", async () => {
    const chatter = await connectAs(await world.platformUser());
    const { ticket } = await startChat(chatter);
    const [chatterConnection] = await subscriberIds(channels.ticket(ticket.id));
    const agent = await connectAs(await world.agent());
    await expectReply(agent, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    const agentConnection = (await subscriberIds(channels.ticket(ticket.id))).find((c) => c !== chatterConnection);
    expect((await listChannels(agentConnection as string)).sort()).toEqual([
      channels.queue,
      channels.ticket(ticket.id),
    ]);

    await agent.close();

    await vi.waitFor(async () => expect(await listChannels(agentConnection as string)).toEqual([]), settle);
    expect(await subscriberIds(channels.ticket(ticket.id))).toEqual([chatterConnection]);
  });

  it('a connection killed without a close frame costs the sender nothing and is forgotten', async () => {
    const { person, chatter, ticket, agent } = await chatWithAgent();

    agent.socket.terminate();
    await agent.closed;
    const event = await send(chatter, ticket.id, 'Ainda está aí?');

    expect(messages(await timeline(person, ticket.id)).at(-1)).toEqual(event);
    await vi.waitFor(async () => expect(await subscriberIds(channels.ticket(ticket.id))).toHaveLength(1), settle);
  });

  it('removes, on the next push, a connection the gateway no longer knows (its $disconnect never ran)', async () => {
    const person = await world.platformUser();
    const chatter = await connectAs(person);
    const { ticket } = await startChat(chatter);
    const agent = await world.agent();
    // What a lost $disconnect leaves behind: a connection item and subscriptions for a connection long gone.
    const ghost = { connectionId: `ghost-${ulid()}=`, connectedAt: Date.now() };
    await openConnection(ghost, agent.principal);
    await subscribe(ghost, channels.ticket(ticket.id), agent.principal, ticket.groupId);
    expect(await listChannels(ghost.connectionId)).toHaveLength(2);

    const event = await send(chatter, ticket.id, 'Alguém?');

    expect(event.data.body).toBe('Alguém?');
    // The push to the ghost answered 410 before the sender got its ack.
    expect(await subscriberIds(channels.ticket(ticket.id))).not.toContain(ghost.connectionId);
    expect(await subscriberIds(channels.queue)).not.toContain(ghost.connectionId);
  });
});

describe('clients that race', () => {
  it('stores every message of two clients sending at once; every subscriber gets each once, each sender’s in the order sent', async () => {
    const person = await world.platformUser();
    const user = await connectAs(person);
    const agent = await world.agent();
    const agentClient = await connectAs(agent);
    const observer = await connectAs(await world.admin());
    const { ticket } = await startChat(user);
    for (const client of [agentClient, observer]) {
      await expectReply(client, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    }

    // Each client sends its next message as soon as the last one is acked, both at once.
    const rounds = 6;
    const sendAll = async (client: ChatClient, who: string) => {
      const acks: Json[] = [];
      for (let i = 0; i < rounds; i++) acks.push(await send(client, ticket.id, `${who} ${i}`));
      return acks;
    };
    const [userAcks, agentAcks] = await Promise.all([sendAll(user, 'cliente'), sendAll(agentClient, 'agente')]);

    // After the chat's own two events: every message, and the status change the agent's first answer made.
    const stored = (await timeline(person, ticket.id)).slice(2);
    expect(messages(stored)).toHaveLength(2 * rounds);
    const [opened, ...others] = stored.filter((e) => e.type !== 'message');
    expect([opened?.data, others]).toEqual([{ from: 'new', to: 'open' }, []]);
    const storedById = new Map(stored.map((e) => [e.id, e]));
    for (const acks of [userAcks, agentAcks]) {
      // Event ids grow in commit order: a sender's acks, one after the other, have growing ids.
      expect(increasing(ids(acks)), JSON.stringify(ids(acks))).toBe(true);
      for (const ack of acks) expect(storedById.get(ack.id)).toEqual(ack);
    }

    await observer.next((f) => f.type === 'event' && f.event.id === stored.at(-1)?.id, 10_000);
    await Promise.all([
      ...userAcks.map((e) => agentClient.next((f) => f.event?.id === e.id)),
      ...[...agentAcks, opened].map((e) => user.next((f) => f.event?.id === e.id)),
      agentClient.next((f) => f.event?.id === opened.id),
    ]);
    // Each subscriber's view: what it sent (acks) and what it was pushed. Every stored event exactly once, as
    // stored; and the pushes of each sender's messages came in the order that sender sent them.
    const views = [
      { acked: userAcks, pushed: user.pushedEvents(ticket.id) },
      { acked: agentAcks, pushed: agentClient.pushedEvents(ticket.id) },
      { acked: [], pushed: observer.pushedEvents(ticket.id) },
    ];
    for (const { acked, pushed } of views) {
      const view = [...acked, ...pushed];
      expect(ids(view).length).toBe(new Set(ids(view)).size);
      expect(new Set(ids(view))).toEqual(new Set(storedById.keys()));
      for (const event of view) expect(event).toEqual(storedById.get(event.id));
      for (const sender of [person, agent]) {
        const theirs = ids(messages(pushed).filter((e) => e.actor.id === sender.user.id));
        expect(theirs).toEqual(ids(messages(stored).filter((e) => theirs.includes(e.id))));
      }
    }
  });
});

describe('a client that drops and comes back', () => {
  it('gets what it missed with ticket.subscribe after the last event it saw: nothing missed, nothing twice', async () => {
    const { person, chatter: first, ticket, events, agent: agentClient } = await chatWithAgent();
    const seen: Json[] = [...events];
    seen.push(await send(first, ticket.id, 'Oi, preciso de ajuda'));
    const hello = await send(agentClient, ticket.id, 'Olá! Em que posso ajudar?');
    seen.push((await first.next((f) => f.type === 'event' && f.event.id === hello.id)).event);
    // The agent's first answer opened the chat, recorded right after it.
    const opened = (await first.next((f) => f.type === 'event' && f.event.type === 'status_changed')).event;
    seen.push(opened);

    first.socket.terminate();
    await first.closed;
    const whileAway: Json[] = [];
    for (const body of ['Pode me mandar a chave da nota?', 'Ou o número dela', 'Fico no aguardo']) {
      whileAway.push(await send(agentClient, ticket.id, body));
    }

    const second = await connectAs(person);
    const back = await expectReply(second, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
      after: seen.at(-1).id,
    });
    expect(back.missed).toEqual(whileAway);
    seen.push(...back.missed);
    seen.push(await send(second, ticket.id, 'É a 35240112345678000199550010000012341000012345'));
    const thanks = await send(agentClient, ticket.id, 'Obrigado, já vejo');
    await second.next((f) => f.type === 'event' && f.event.id === thanks.id);
    expect(first.pushedEvents(ticket.id)).toEqual([hello, opened]);
    seen.push(...second.pushedEvents(ticket.id));

    expect(new Set(ids(seen)).size).toBe(seen.length);
    expect(seen).toEqual(await timeline(person, ticket.id));
  });

  it('misses nothing when messages keep arriving while it subscribes again', async () => {
    const person = await world.platformUser();
    const agentClient = await connectAs(await world.agent());
    const first = await connectAs(person);
    const { ticket, events } = await startChat(first);
    await first.close();

    const second = await connectAs(person);
    const sending = (async () => {
      const sent: Json[] = [];
      for (let i = 0; i < 8; i++) sent.push(await send(agentClient, ticket.id, `mensagem ${i}`));
      return sent;
    })();
    const back = await expectReply(second, 'ticket.subscribed', 'ticket.subscribe', {
      ticketId: ticket.id,
      after: events.at(-1).id,
    });
    const sent = await sending;
    // Every push was posted before the agent's last ack; the pong comes after them on this connection.
    await expectReply(second, 'pong', 'ping');

    const received = [...back.missed, ...second.pushedEvents(ticket.id)];
    const once = new Map<string, Json>();
    for (const event of received) {
      // An event stored while subscribing may come both ways; it is the same event both times.
      if (once.has(event.id)) expect(event).toEqual(once.get(event.id));
      once.set(event.id, event);
    }
    // Everything after the chat's own events: the messages, and the status change the first one made.
    const stored = await timeline(person, ticket.id);
    expect([...once.values()].sort(byId)).toEqual(stored.slice(events.length));
    expect(sent).toEqual(messages(stored).slice(1));
  });
});
