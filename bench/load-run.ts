// `npm run load`: the load run at full size, against a stack of its own. Defaults: K=100 clients on
// T=25 tickets (four people watching each chat), M=10 messages each, two rounds on the same gateway so that
// its memory after the second round shows whether it stays bounded. Change them with
// `npm run load -- --clients 200 --tickets 20 --messages 20 --rounds 3`.
// Prints one report per round and exits non-zero when anything was lost, duplicated or out of the stored order.
import { parseArgs } from 'node:util';
import { world } from '../test/support/world.js';
import { type LoadReport, runLoad } from './load.js';
import { describeMachine, machine } from './machine.js';
import { startBenchStack } from './stack.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    tickets: { type: 'string', default: '25' },
    messages: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const log = (line: string) => process.stderr.write(`[load] ${line}\n`);
log(`machine: ${describeMachine(machine())}`);

const stack = await startBenchStack({ print: log });
// The proxy keeps every request for the bench's counting; a load run has no use for that log.
const forget = setInterval(() => stack.proxy.reset(), 1000);
try {
  const group = await world.group();
  const people = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => world.customer({ group })));
  const reports: LoadReport[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const report = await runLoad({
      gateway: stack.gateway,
      clients: Number(values.clients),
      tickets: Number(values.tickets),
      messages: Number(values.messages),
      people,
      groupId: group.id,
      log: (line) => log(`round ${round}: ${line}`),
    });
    reports.push(report);
    const ok = report.problems.length === 0 && report.stored === report.sent && report.acked === report.sent;
    const { beforeMiB, peakMiB, afterMiB } = report.gatewayRss;
    log(
      `round ${round}: ${ok ? 'ok' : 'FAILED'}: ${report.acked}/${report.sent} acked, ${report.stored} stored, ` +
        `${report.problems.length} subscribers with problems, ${report.resent} resent after 503; ` +
        `${report.messagesPerSecond.toFixed(1)} messages/s, ` +
        `ack p50 ${Math.round(report.ack.median)} ms p95 ${Math.round(report.ack.p95)} ms; ` +
        `${report.crossedPushes} pushes overtaken by a later message's; ` +
        `gateway RSS ${beforeMiB} → peak ${peakMiB} → ${afterMiB} MiB`,
    );
    if (!ok) process.exitCode = 1;
  }
  process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
} finally {
  clearInterval(forget);
  await stack.stop();
}
