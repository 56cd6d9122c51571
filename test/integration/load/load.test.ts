// The short load run of `npm test` (`npm run load` is the long one, same code: bench/load.ts): K WebSocket
// clients over T tickets each send M messages while all the others do too, through a gateway of this
// file's own. Every message is stored once, and every subscriber holds every message of its ticket once, in
// the stored order by event id, each sender's messages pushed in the order they were stored. A client resends
// a message refused with 503 `unavailable` (same clientMessageId: it cannot be stored twice). Reported, not
// required: how many were resent, pushes of two senders crossing each other, and the gateway's memory.
import { beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../bench/load.js';
import { world } from '../../support/world.js';
import { useIsolatedGateway } from '../faults/isolated.js';

const isolated = useIsolatedGateway();
const K = 24;
const T = 4;
const M = 4;

let people: Awaited<ReturnType<typeof world.customer>>[];
beforeAll(async () => {
  const group = await world.group();
  people = await Promise.all([1, 2, 3, 4].map(() => world.customer({ group })));
});

// Tens of seconds on a busy machine: the deadline is there to catch a hang, not to measure speed (npm run load does).
describe(`${K} clients on ${T} tickets sending ${M} messages each at once`, { timeout: 120_000 }, () => {
  it('store every message once and deliver each to every subscriber once, in the stored order by id', async () => {
    const report = await runLoad({
      gateway: isolated.gateway,
      clients: K,
      tickets: T,
      messages: M,
      people,
      groupId: people[0]?.group.id as string,
    });

    console.info(
      `load: ${report.acked}/${report.sent} messages in ${Math.round(report.elapsedMs)} ms ` +
        `(${report.messagesPerSecond.toFixed(0)}/s, ack p50 ${Math.round(report.ack.median)} ms); gateway RSS ` +
        `${report.gatewayRss.beforeMiB} MiB before, ${report.gatewayRss.peakMiB} MiB peak, ${report.gatewayRss.afterMiB} MiB after; ` +
        `${report.crossedPushes} pushes overtaken by a later message's (${report.subscribersWithCrossedPushes} subscribers); ` +
        `${report.resent} resent after 503`,
    );
    expect(report.errors).toEqual({});
    expect(report.acked).toBe(K * M);
    expect(report.stored).toBe(K * M);
    expect(report.problems).toEqual([]);
    expect(isolated.dynamo.operations.filter((o) => o.name === 'Scan')).toEqual([]);
  });
});
