// WebSocket delivery: how long from `message.send` until every one of N subscribers holds the message,
// for N = 1, 10, 100, 500; and, to show what the bounded pool buys, the fan-out alone run two ways from
// this process against the same subscribers: with the real publish(), once with its pool of fanoutConcurrency
// posts in flight and once with a pool of 1 (one post at a time; all else the same).
//
// On loopback a post costs CPU and no network wait, so the pool has nothing to overlap: both ways are
// CPU-bound and come out alike. Deployed, each PostToConnection is a network round trip to API Gateway; the
// comparison is run a second time with that round trip simulated (a proxy in front of @connections that
// holds each post `latencyMs`), which is where a pool pays off.
import { ulid } from 'ulid';
import { forEachLimited } from '../shared/pool.js';
import { fanoutConcurrency, publishEvent } from '../shared/realtime/fanout.js';
import { type Json, openClients, type RealtimeClient, replyOk } from './clients.js';
import type { FaultProxy } from './fault-proxy.js';
import { ratio, type Summary, summarize } from './stats.js';

export interface FanoutResult {
  subscribers: number;
  /** message.send → all N hold the event (the whole path: store, ack, fan-out through the gateway). */
  endToEnd: Summary;
  /** publish() alone, from this process: the pool. */
  pooled: Summary;
  /** The same fan-out one post at a time. */
  serial: Summary;
  /** serial p50 / pooled p50: how many times faster the pool is. */
  speedup: number;
  /** The same comparison with every post held `latencyMs` (a network round trip to API Gateway). */
  withLatency?: { latencyMs: number; pooled: Summary; serial: Summary; speedup: number };
}

/** Resolves when every client in `clients` has received an event push whose body is `marker`. */
function allReceive(clients: readonly RealtimeClient[], marker: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let waiting = clients.length;
    const unsubscribes: (() => void)[] = [];
    const done = (error?: Error) => {
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => done(new Error(`${waiting} of ${clients.length} subscribers did not receive ${marker}`)),
      timeoutMs,
    );
    for (const client of clients) {
      let got = false;
      unsubscribes.push(
        client.onPush((frame: Json) => {
          if (got || frame?.type !== 'event' || frame.event?.data?.body !== marker) return;
          got = true;
          if (--waiting === 0) done();
        }),
      );
    }
    if (clients.length === 0) done();
  });
}

async function timed(clients: readonly RealtimeClient[], marker: string, trigger: () => Promise<unknown>) {
  const received = allReceive(clients, marker);
  const started = performance.now();
  await Promise.all([trigger(), received]);
  return performance.now() - started;
}

function syntheticEvent(ticketId: string, marker: string) {
  return {
    id: ulid(),
    ticketId,
    type: 'message' as const,
    actor: { id: 'bench', name: 'bench', role: 'agent' as const },
    createdAt: new Date().toISOString(),
    data: { body: marker, attachments: [] },
  };
}

export interface FanoutBenchOptions {
  urls: { httpUrl: string; wsUrl: string };
  /**
   * People of one group who may see and post on `ticketId`, whose connections these are; each holds at most
   * 10 (connection i is tokens[i mod n]'s).
   */
  tokens: readonly string[];
  ticketId: string;
  sizes: readonly number[];
  runs: (subscribers: number) => number;
  /** The proxy this process's @connections client (CONNECTIONS_ENDPOINT) goes through. */
  connections: FaultProxy;
  /** The simulated round trip, and the sizes and runs it is measured for. */
  latency: { ms: number; sizes: readonly number[]; runs: number };
  log(line: string): void;
}

export async function benchFanout(options: FanoutBenchOptions): Promise<{ results: FanoutResult[]; pool: number }> {
  const { ticketId } = options;
  // The fan-out alone: publish() with its own pool, or with the one given.
  const publish = (marker: string, concurrency?: number) => () =>
    publishEvent(ticketId, syntheticEvent(ticketId, marker), { concurrency });
  const tokenOf = (i: number) => options.tokens[i % options.tokens.length] as string;
  const [sender] = await openClients(options.urls, tokenOf, 1);
  if (!sender) throw new Error('no sender connection');
  const subscribers: RealtimeClient[] = [];
  const results: FanoutResult[] = [];
  try {
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      const added = await openClients(
        options.urls,
        (i) => tokenOf(subscribers.length + i + 1),
        size - subscribers.length,
      );
      await forEachLimited(added, 10, async (client) => {
        replyOk(await client.request({ action: 'ticket.subscribe', ticketId }), 'ticket.subscribed');
      });
      subscribers.push(...added);
      options.log(`fan-out: ${size} subscribers connected`);

      const endToEnd: number[] = [];
      const pooled: number[] = [];
      const serial: number[] = [];
      const runs = options.runs(size);
      for (let run = -1; run < runs; run++) {
        const marks = [ulid(), ulid(), ulid()];
        const times = [
          await timed(subscribers, marks[0] as string, async () =>
            replyOk(
              await sender.request({ action: 'message.send', ticketId, body: marks[0], clientMessageId: marks[0] }),
              'message.ack',
            ),
          ),
          await timed(subscribers, marks[1] as string, publish(marks[1] as string)),
          await timed(subscribers, marks[2] as string, publish(marks[2] as string, 1)),
        ];
        // The first round warms every path up.
        if (run < 0) continue;
        endToEnd.push(times[0] as number);
        pooled.push(times[1] as number);
        serial.push(times[2] as number);
      }
      const result: FanoutResult = {
        subscribers: size,
        endToEnd: summarize(endToEnd),
        pooled: summarize(pooled),
        serial: summarize(serial),
        speedup: ratio(summarize(serial), summarize(pooled)),
      };
      if (options.latency.sizes.includes(size)) {
        options.connections.setLatency(options.latency.ms);
        try {
          const far = { pooled: [] as number[], serial: [] as number[] };
          for (let run = 0; run < options.latency.runs; run++) {
            const [first, second] = [ulid(), ulid()] as [string, string];
            far.pooled.push(await timed(subscribers, first, publish(first)));
            far.serial.push(await timed(subscribers, second, publish(second, 1)));
          }
          const farPooled = summarize(far.pooled);
          const farSerial = summarize(far.serial);
          result.withLatency = {
            latencyMs: options.latency.ms,
            pooled: farPooled,
            serial: farSerial,
            speedup: ratio(farSerial, farPooled),
          };
        } finally {
          options.connections.setLatency(0);
        }
      }
      results.push(result);
    }
  } finally {
    await Promise.all([sender, ...subscribers].map((client) => client.close()));
  }
  return { results, pool: fanoutConcurrency };
}
