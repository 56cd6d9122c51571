// `npm run privacy:backfill -- [--since YYYY-MM] [--after <ticketId>]`: gives items written before a person's
// data could be exported and erased the index keys those read (shared/privacy/backfill.ts). Run it once after
// deploying the version that introduced them. Bounded, resumable (each line names where it is: pass its
// --since and --after to go on from there) and safe to rerun. Run it with the deployment's settings:
//   TABLE_NAME  AWS_REGION   (and AWS credentials for the account)
import { parseArgs } from 'node:util';
import { backfillPrivacyIndexes } from '../shared/privacy/backfill.js';

const usage = 'usage: npm run privacy:backfill -- [--since YYYY-MM] [--after <ticketId>]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { since: { type: 'string' }, after: { type: 'string' } } });
  if (values.since !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.since)) throw new Error(usage);
  if (
    values.after !== undefined &&
    (values.since === undefined || !/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(values.after))
  ) {
    throw new Error(usage);
  }
  if (!process.env.TABLE_NAME) throw new Error(`TABLE_NAME is not set\n${usage}`);
  const done = await backfillPrivacyIndexes({
    since: values.since,
    after: values.after,
    progress: (p) =>
      console.log(
        `${p.month}: ${p.tickets} tickets read; index keys added to ${p.events} events, ${p.files} files, ` +
          `${p.invites} invitations; ${p.closed} closed tickets listed` +
          (p.after ? ` (go on with --since ${p.month} --after ${p.after})` : ''),
      ),
  });
  console.log(
    `Done: ${done.tickets} tickets read; ${done.events} events, ${done.files} files, ${done.invites} invitations, ` +
      `${done.closed} closed tickets.`,
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
