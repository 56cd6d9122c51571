// The load run: K WebSocket clients spread over T tickets, each sending M messages while all the others
// do too. Afterwards it checks what a user would: every subscriber holds every message of its ticket
// exactly once (its own through the ack, the others' through pushes), in the stored order once ordered by
// event id (as a client shows them), each sender's messages pushed in the order they were stored, and the
// stored timeline has exactly K×M messages. `npm run load` runs a big one (bench/load-run.ts),
// test/integration/load a short one with the same code.
//
// What it measures but does not require: pushes of two senders' messages may arrive in the opposite of
// their stored order. Two message.send invocations run at once (on Lambda as in the local gateway); the one
// that commits second can finish its fan-out first. A client that orders by event id shows the right
// timeline; but one that resubscribes `after` the highest id it saw could skip the overtaken event.

import { forEachLimited } from '../shared/pool.js';
import type { Person } from '../test/support/world.js';
import { type Json, openClients, openTicket, type RealtimeClient, storedTimeline } from './clients.js';
import type { GatewayProcess } from './gateway.js';
import { type Summary, summarize } from './stats.js';

export interface LoadOptions {
  gateway: Pick<GatewayProcess, 'httpUrl' | 'wsUrl' | 'rssBytes'>;
  /** K, T, M. */
  clients: number;
  tickets: number;
  messages: number;
  /** People of one group who share the K connections (connection i belongs to person i mod people.length). */
  people: readonly Person[];
  groupId: string;
  /** How long to wait for the last pushes after the last ack. */
  settleMs?: number;
  log?(line: string): void;
}

export interface SubscriberProblem {
  client: number;
  ticketId: string;
  missing: number;
  duplicates: number;
  /** Pushes of one sender's messages that arrived in an order other than the stored one. */
  senderOrder: number;
}

export interface LoadReport {
  clients: number;
  tickets: number;
  messagesPerClient: number;
  sent: number;
  acked: number;
  /** Messages that still failed after the client's resends, by error code. */
  errors: Record<string, number>;
  /** `unavailable` replies a client answered by resending the same clientMessageId (as the web app may). */
  resent: number;
  elapsedMs: number;
  messagesPerSecond: number;
  /** Pushes of message events received per second, over the same time. */
  deliveriesPerSecond: number;
  ack: Summary;
  /** Messages of the stored timelines (GET /tickets/{id}/events), all tickets together. */
  stored: number;
  /** Subscribers with any problem; empty when every one holds every message once and in order. */
  problems: SubscriberProblem[];
  /** Pushes that arrived after a push of an event stored later (two senders' fan-outs crossing), all subscribers. */
  crossedPushes: number;
  /** Subscribers that saw at least one such crossing. */
  subscribersWithCrossedPushes: number;
  gatewayRss: { beforeMiB: number; peakMiB: number; afterMiB: number };
}

/** How many times a client resends a message refused with `unavailable`. */
const resends = 3;

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { gateway, people } = options;
  const log = options.log ?? (() => {});
  const K = options.clients;
  const T = options.tickets;
  const M = options.messages;
  const owner = people[0];
  if (!owner) throw new Error('runLoad needs at least one person');
  const urls = { httpUrl: gateway.httpUrl, wsUrl: gateway.wsUrl };

  const ticketIds: string[] = [];
  for (let t = 0; t < T; t++) {
    const ticket = await openTicket(urls.httpUrl, owner.token, {
      groupId: options.groupId,
      topic: 'usage',
      subject: `Load ${t}`,
      description: 'load test ticket',
    });
    ticketIds.push(ticket.id);
  }
  const ticketOf = (client: number) => ticketIds[client % T] as string;
  const personOf = (client: number) => people[client % people.length] as Person;

  const rssBefore = await gateway.rssBytes();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    gateway.rssBytes().then(
      (rss) => {
        rssPeak = Math.max(rssPeak, rss);
      },
      () => {},
    );
  }, 250);

  let clients: RealtimeClient[] = [];
  const acks: Json[][] = Array.from({ length: K }, () => []);
  const errors: Record<string, number> = {};
  const ackTimes: number[] = [];
  let resent = 0;
  let elapsedMs = 0;
  let deliveries = 0;
  let report: LoadReport;
  try {
    clients = await openClients(urls, (i) => personOf(i).token, K);
    await forEachLimited(
      clients.map((client, i) => ({ client, i })),
      10,
      async ({ client, i }) => {
        const reply = await client.request({ action: 'ticket.subscribe', ticketId: ticketOf(i) });
        if (reply.type !== 'ticket.subscribed') throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
      },
    );
    for (const client of clients) {
      client.onPush((frame) => {
        if (frame?.type === 'event' && frame.event?.type === 'message') deliveries++;
      });
    }
    log(`load: ${K} clients connected and subscribed to ${T} tickets; sending ${K * M} messages`);

    const started = performance.now();
    await Promise.all(
      clients.map(async (client, i) => {
        for (let m = 0; m < M; m++) {
          const sentAt = performance.now();
          const frame = {
            action: 'message.send',
            ticketId: ticketOf(i),
            body: `client ${i} message ${m}`,
            clientMessageId: `load-${i}-${m}`,
          };
          let reply = await client.request(frame);
          // A 503 says "nothing was half-written, try again"; the same clientMessageId can never store it twice.
          for (let attempt = 1; attempt <= resends && reply.error?.code === 'unavailable'; attempt++) {
            resent++;
            reply = await client.request(frame);
          }
          if (reply.type === 'message.ack') {
            ackTimes.push(performance.now() - sentAt);
            acks[i]?.push(reply.event);
          } else {
            const code = reply.error?.code ?? reply.type ?? 'unknown';
            errors[code] = (errors[code] ?? 0) + 1;
          }
        }
      }),
    );
    elapsedMs = performance.now() - started;

    // Pushes still travelling when the last ack came back.
    const expected = (i: number) => acks.filter((_, j) => ticketOf(j) === ticketOf(i) && j !== i).flat().length;
    const deadline = Date.now() + (options.settleMs ?? 15_000);
    const pushedMessages = (client: RealtimeClient) =>
      client.pushes.filter((f) => f?.type === 'event' && f.event?.type === 'message');
    while (Date.now() < deadline && clients.some((c, i) => pushedMessages(c).length < expected(i))) {
      await new Promise((r) => setTimeout(r, 50));
    }

    const timelines = new Map<string, Json[]>();
    for (const ticketId of ticketIds) {
      const events = await storedTimeline(urls.httpUrl, owner.token, ticketId);
      timelines.set(
        ticketId,
        events.filter((e) => e.type === 'message'),
      );
    }

    const problems: SubscriberProblem[] = [];
    let crossedPushes = 0;
    let subscribersWithCrossedPushes = 0;
    const senderOf = (event: Json) => String(event.data?.clientMessageId ?? '').replace(/-\d+$/, '');
    clients.forEach((client, i) => {
      const ticketId = ticketOf(i);
      const stored = (timelines.get(ticketId) ?? []).map((e) => e.id as string);
      const position = new Map(stored.map((id, index) => [id, index]));
      const pushedEvents = pushedMessages(client).map((f) => f.event);
      const pushed = pushedEvents.map((e) => e.id as string);
      const held = [...pushed, ...(acks[i] ?? []).map((e) => e.id as string)];
      const counts = new Map<string, number>();
      for (const id of held) counts.set(id, (counts.get(id) ?? 0) + 1);
      const missing = stored.filter((id) => !counts.has(id)).length;
      const duplicates =
        [...counts.values()].filter((n) => n > 1).length + held.filter((id) => !position.has(id)).length;
      let crossed = 0;
      let senderOrder = 0;
      const lastOfSender = new Map<string, number>();
      let highest = -1;
      for (const event of pushedEvents) {
        const at = position.get(event.id) ?? -1;
        if (at < highest) crossed++;
        highest = Math.max(highest, at);
        const sender = senderOf(event);
        if (at < (lastOfSender.get(sender) ?? -1)) senderOrder++;
        lastOfSender.set(sender, at);
      }
      crossedPushes += crossed;
      if (crossed > 0) subscribersWithCrossedPushes++;
      if (missing || duplicates || senderOrder)
        problems.push({ client: i, ticketId, missing, duplicates, senderOrder });
    });

    const stored = [...timelines.values()].reduce((sum, events) => sum + events.length, 0);
    const acked = acks.flat().length;
    report = {
      clients: K,
      tickets: T,
      messagesPerClient: M,
      sent: K * M,
      acked,
      errors,
      resent,
      elapsedMs,
      messagesPerSecond: acked / (elapsedMs / 1000),
      deliveriesPerSecond: deliveries / (elapsedMs / 1000),
      ack: summarize(ackTimes.length ? ackTimes : [0]),
      stored,
      problems,
      crossedPushes,
      subscribersWithCrossedPushes,
      gatewayRss: { beforeMiB: mib(rssBefore), peakMiB: mib(rssPeak), afterMiB: 0 },
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(clients.map((client) => client.close()));
  }
  // Once the clients are gone and their $disconnects ran: what the gateway keeps is what it leaks.
  await new Promise((r) => setTimeout(r, 1000));
  report.gatewayRss.afterMiB = mib(await gateway.rssBytes());
  return report;
}
