// `npm run load`: the load run at full size (defaults K=200 clients, T=20 tickets, M=20 messages each;
// change with `npm run load -- --clients 100 --tickets 10 --messages 50`), against a stack of its own.
// Prints the report and exits non-zero when anything was lost, duplicated or out of the stored order.
import { parseArgs } from 'node:util';
import { world } from '../test/support/world.js';
import { runLoad } from './load.js';
import { describeMachine, machine } from './machine.js';
import { startBenchStack } from './stack.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    tickets: { type: 'string', default: '20' },
    messages: { type: 'string', default: '20' },
  },
});
const log = (line: string) => process.stderr.write(`[load] ${line}\n`);

const stack = await startBenchStack({ print: log });
try {
  // The proxy keeps every request for counting; a load run has no use for that log.
  const forget = setInterval(() => stack.proxy.reset(), 1000);
  const group = await world.group();
  const people = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => world.customer({ group })));
  const report = await runLoad({
    gateway: stack.gateway,
    clients: Number(values.clients),
    tickets: Number(values.tickets),
    messages: Number(values.messages),
    people,
    groupId: group.id,
    log,
  }).finally(() => clearInterval(forget));
  log(`machine: ${describeMachine(machine())}`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const ok = report.problems.length === 0 && report.stored === report.sent && report.acked === report.sent;
  log(
    ok
      ? `ok: ${report.sent} messages stored once and delivered once to every subscriber, in the stored order by id ` +
          `(${report.crossedPushes} pushes overtaken by a later message's, seen by ${report.subscribersWithCrossedPushes} subscribers)`
      : `FAILED: ${report.problems.length} subscribers with problems, ${report.stored} of ${report.sent} stored`,
  );
  if (!ok) process.exitCode = 1;
} finally {
  await stack.stop();
}
