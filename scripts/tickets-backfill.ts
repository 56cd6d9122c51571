// `npm run tickets:backfill -- [--after <ticketId>]`: marks the people who asked for tickets outside any group
// before such tickets marked them themselves (shared/tickets/ungrouped-backfill.ts), so their ticket lists keep
// showing those tickets once lists read only the partitions a person needs. Run it once after deploying the
// version that introduced the marker. Bounded (100 tickets a page), resumable (each line names the last ticket
// read: pass it as --after to go on from there) and safe to rerun. Run it with the deployment's settings:
//   TABLE_NAME  AWS_REGION   (and AWS credentials for the account)
import { parseArgs } from 'node:util';
import { backfillUngroupedMarkers } from '../shared/tickets/ungrouped-backfill.js';

const usage = 'usage: npm run tickets:backfill -- [--after <ticketId>]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { after: { type: 'string' } } });
  if (values.after !== undefined && !/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(values.after)) throw new Error(usage);
  if (!process.env.TABLE_NAME) throw new Error(`TABLE_NAME is not set\n${usage}`);
  const done = await backfillUngroupedMarkers({
    after: values.after,
    progress: (p) =>
      console.log(`${p.month}: ${p.read} tickets read, ${p.marked} markers put${p.last ? `; --after ${p.last}` : ''}`),
  });
  console.log(`Done: ${done.read} tickets read, ${done.marked} markers put.`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
