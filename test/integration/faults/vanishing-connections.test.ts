// Subscribers vanishing while messages fan out to them: half of 40 connections are killed without a close
// frame in the middle of a conversation, and their $disconnect is lost (DynamoDB refuses its deletes, as a
// throttled table or a crashed function would). The sender must not notice; the survivors get every message
// once, in order; and the next push to a vanished connection (410 Gone) deletes it and its subscriptions.
// (test/integration/chat/faults.test.ts covers one killed connection and a hand-made ghost.)
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type Json, openClients, openTicket, type RealtimeClient, storedTimeline } from '../../../bench/clients.js';
import { forEachLimited } from '../../../shared/pool.js';
import { channels, listChannels, listSubscribers } from '../../../shared/store/connections.js';

/** The ids of the connections subscribed to `channel`. */
const subscriberIds = async (channel: string): Promise<string[]> =>
  (await listSubscribers(channel)).map((s) => s.connectionId);

import { world } from '../../support/world.js';
import { useIsolatedGateway } from './isolated.js';

const isolated = useIsolatedGateway();
const subscribers = 40;
const killed = 20;
const connectionWrites = new Set(['DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'PutItem', 'UpdateItem']);

let customer: Awaited<ReturnType<typeof world.customer>>;
// Colleagues in one group, so the 41 connections stay within each person's 10 (api.md, "Limits against abuse").
let colleagues: Awaited<ReturnType<typeof world.customer>>[];
beforeAll(async () => {
  customer = await world.customer();
  colleagues = [customer];
  for (let i = 0; i < 4; i++) colleagues.push(await world.customer({ groups: [customer.group] }));
});

// Tens of seconds on a busy machine: the deadline is there to catch a hang, not to measure speed.
describe('subscribers that vanish mid-fan-out', { timeout: 120_000 }, () => {
  it('cost the sender nothing, the others miss nothing, and are deleted on the next push (410)', async () => {
    const ticket = await openTicket(isolated.urls.httpUrl, customer.token, {
      groupId: customer.group.id,
      topic: 'usage',
      subject: 'Muitas abas',
      description: 'Abri em vários lugares',
    });
    const channel = channels.ticket(ticket.id);
    const [sender, ...others] = await openClients(
      isolated.urls,
      (i) => (colleagues[i % colleagues.length] ?? customer).token,
      subscribers + 1,
    );
    if (!sender) throw new Error('no sender');
    await forEachLimited(others, 10, async (client) => {
      expect((await client.request({ action: 'ticket.subscribe', ticketId: ticket.id })).type).toBe(
        'ticket.subscribed',
      );
    });
    const doomed = others.slice(0, killed);
    const survivors = others.slice(killed);
    const acks: Json[] = [];
    const send = async (n: number) => {
      const reply = await sender.request({
        action: 'message.send',
        ticketId: ticket.id,
        body: `mensagem ${n}`,
        clientMessageId: ulid(),
      });
      expect(reply.type, JSON.stringify(reply)).toBe('message.ack');
      acks.push(reply.event);
    };

    for (const n of [1, 2]) await send(n);
    // From here on DynamoDB refuses every write to a connection's items: the killed connections' $disconnects
    // are lost (the sender's messages touch no such item).
    isolated.dynamo.inject({
      fault: 'unavailable',
      match: (r) => connectionWrites.has(r.name) && r.body.includes('CONN#'),
    });
    const disconnectsBefore = isolated.records.filter((r) => r.route?.endsWith('$disconnect')).length;
    const third = send(3);
    for (const client of doomed) client.kill();
    await third;
    for (const n of [4, 5]) await send(n);
    await vi.waitFor(
      () =>
        expect(isolated.records.filter((r) => r.route?.endsWith('$disconnect')).length - disconnectsBefore).toBe(
          killed,
        ),
      { timeout: 20_000, interval: 100 },
    );
    const stale = await subscriberIds(channel);
    expect(stale, 'the lost $disconnects left the vanished subscriptions behind').toHaveLength(subscribers);

    isolated.dynamo.clearFaults();
    await send(6);
    const remaining = await subscriberIds(channel);
    expect(remaining, 'the push of message 6 found them gone (410) and deleted them').toHaveLength(
      subscribers - killed,
    );
    for (const n of [7, 8]) await send(n);

    const vanished = stale.filter((id) => !remaining.includes(id));
    expect(vanished).toHaveLength(killed);
    for (const id of vanished) expect(await listChannels(id)).toEqual([]);
    const stored = (await storedTimeline(isolated.urls.httpUrl, customer.token, ticket.id)).filter(
      (e: Json) => e.type === 'message',
    );
    expect(stored).toEqual(acks);
    // Every push of message 8 went out before its ack; a survivor's pong comes after what was pushed to it.
    await forEachLimited(survivors, 10, async (client: RealtimeClient) => {
      expect((await client.request({ action: 'ping' })).type).toBe('pong');
      expect(client.pushes.filter((f) => f.type === 'event').map((f) => f.event)).toEqual(stored);
    });
    await Promise.all([sender, ...survivors].map((client) => client.close()));
    // 41 connections and their frames, each taking a person's connection slot and a counted subscription in a
    // transaction and each frame checking its sender's current access (one read), through the fault proxy:
    // more than the default 30 s on a busy machine.
  }, 90_000);
});
