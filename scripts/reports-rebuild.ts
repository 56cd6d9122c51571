// `npm run reports:rebuild -- [--since YYYY-MM] [--restart]`: counts in the reports the tickets opened before
// the aggregates existed, from their timelines (shared/tickets/report-rebuild.ts). Bounded (25 tickets at a
// time), resumable (it saves where it is after each page and starts there next time; `--restart` starts over,
// which counts nothing twice) and safe while the help desk works. Run it with the deployment's settings:
//   TABLE_NAME  AWS_REGION   (and AWS credentials for the account)
import { parseArgs } from 'node:util';
import { rebuildReports } from '../shared/tickets/report-rebuild.js';

const usage = 'usage: npm run reports:rebuild -- [--since YYYY-MM] [--restart]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { since: { type: 'string' }, restart: { type: 'boolean' } } });
  const since = values.since ?? '2020-01';
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(since)) throw new Error(usage);
  if (!process.env.TABLE_NAME) throw new Error(`TABLE_NAME is not set\n${usage}`);
  const until = new Date().toISOString().slice(0, 7);
  const done = await rebuildReports({
    since,
    until,
    restart: values.restart,
    progress: (state, page) => {
      if (page > 0 || !state.startKey) {
        console.log(
          `${state.month}: ${state.counted} tickets counted, ${state.already} already counted` +
            (state.skipped.length ? `, ${state.skipped.length} skipped` : ''),
        );
      }
    },
  });
  console.log(`Done: ${done.counted} tickets counted, ${done.already} were already counted.`);
  if (done.skipped.length > 0) {
    console.log(
      `Not counted (their history spans more aggregates than one transaction holds): ${done.skipped.join(', ')}`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
