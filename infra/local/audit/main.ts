// `npm run audit`: answers an auditor's questions from the local request log. The filtering and the
// table live in query.ts; this file only wires arguments, the file and the terminal.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAuditArgs, runAudit, tableHeader, tableRow, UsageError, usage } from './query.js';

function main(): Promise<number> | number {
  let options: ReturnType<typeof parseAuditArgs>;
  try {
    options = parseAuditArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const file = options.file ?? join(process.env.ATENDE_DATA_DIR ?? '.atende', 'logs', 'requests.jsonl');
  if (!existsSync(file)) {
    process.stderr.write(`No request log at ${file}: start the local stack (npm start) or pass --file <path>.\n`);
    return 1;
  }
  return answer(file, options);
}

async function answer(file: string, { query, json }: ReturnType<typeof parseAuditArgs>): Promise<number> {
  const open = () => createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  if (!json) process.stdout.write(`${tableHeader()}\n`);
  const summary = await runAudit(open, query, {
    match: (line, text) => write(`${json ? text : tableRow(line)}\n`),
    malformed: (lineNumber, problem) => process.stderr.write(`${file}:${lineNumber}: ${problem}, skipped\n`),
  });
  const skipped = summary.malformed ? `, ${summary.malformed} malformed skipped` : '';
  process.stderr.write(`${summary.matched} of ${summary.read} request lines matched${skipped}.\n`);
  return 0;
}

/** Waits when stdout's buffer is full, so a large answer piped into `less` is not held in memory. */
function write(text: string): Promise<void> | undefined {
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

process.exitCode = await main();
