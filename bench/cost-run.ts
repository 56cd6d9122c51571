// `npm run cost`: the monthly AWS bill of the profiles in bench/profiles.ts, in each region of bench/prices.ts,
// from the usage the last bench run measured (bench/results.json, its `visits` section).
// `npm run cost -- --measure` first replays the visits on a fresh local stack (about a minute) and stores them
// there, keeping the rest of the file.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/local/paths.js';
import { ensureSynthesized } from './assets.js';
import { type Bill, type Fixed, type LogOverheads, monthlyBill, monthlyUsage } from './cost.js';
import { priceSources, prices, type RegionPrices } from './prices.js';
import { profiles } from './profiles.js';
import { bundleInits, type Results } from './run.js';
import { startBenchStack } from './stack.js';
import { benchVisits, type VisitsResults } from './visits.js';

const log = (line: string) => process.stderr.write(`[cost] ${line}\n`);
const resultsFile = join(projectRoot, 'bench', 'results.json');

/**
 * Lines outside the functions' output, not measurable locally: Lambda's START, END and REPORT lines (text format,
 * with an X-Ray trace id: about 300 bytes an invocation) and API Gateway's JSON access log line (the fields
 * infra/constructs/api.ts asks for: about 450 bytes a request or frame).
 */
export const logOverheads: LogOverheads = { platformBytesPerInvocation: 300, accessLogBytesPerRequest: 450 };

/** A per-agent SaaS for comparison: list prices from memory, billed annually, in USD; check before quoting. */
export const saas = [
  { name: 'Zendesk Suite Team', perAgentMonth: 55, asOf: '2025', source: 'https://www.zendesk.com/pricing/' },
  {
    name: 'Freshdesk Growth',
    perAgentMonth: 15,
    asOf: '2025',
    source: 'https://www.freshworks.com/freshdesk/pricing/',
  },
] as const;

/** Alarms, dashboards and secrets in the synthesized template: what the stack costs with nobody using it. */
export function fixedResources(outDir: string): Fixed {
  const fixed: Fixed = { alarms: 0, dashboards: 0, secrets: 0 };
  for (const file of (existsSync(outDir) ? readdirSync(outDir) : []).filter((name) =>
    name.endsWith('.template.json'),
  )) {
    const template = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as {
      Resources?: Record<string, { Type: string }>;
    };
    for (const { Type } of Object.values(template.Resources ?? {})) {
      if (Type === 'AWS::CloudWatch::Alarm') fixed.alarms++;
      if (Type === 'AWS::CloudWatch::Dashboard') fixed.dashboards++;
      if (Type === 'AWS::SecretsManager::Secret') fixed.secrets++;
    }
  }
  return fixed;
}

function readResults(): Results | undefined {
  return existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) : undefined;
}

async function measure(): Promise<VisitsResults> {
  const previous = readResults();
  const stack = await startBenchStack({ print: log });
  try {
    return await benchVisits({ stack, runs: 1, bundleInitMs: bundleInits(previous?.functions), log });
  } finally {
    await stack.stop();
  }
}

const money = (value: number) => `$${value < 10 ? value.toFixed(2) : value.toFixed(0)}`;

export function renderBill(bill: Bill): string {
  const rows = bill.lines
    .filter((l) => l.cost >= 0.005 || (l.free?.value ?? 0) >= 0.005)
    .map((l) => {
      const free =
        l.free && l.free.value >= 0.005
          ? ` (free tier ${l.free.always ? 'always' : '1st year'}: −${money(l.free.value)})`
          : '';
      return `  ${`${l.service}, ${l.item}`.padEnd(44)} ${quantity(l.quantity).padStart(12)} ${l.unit.padEnd(12)} ${money(l.cost).padStart(8)}${free}`;
    });
  return [
    `${bill.profile} in ${bill.region}: ${money(bill.total)} a month at list price; ${money(bill.afterAlwaysFree)} after the always-free tier; ${money(bill.afterAllFree)} in an account's first year`,
    ...rows,
  ].join('\n');
}

const quantity = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value >= 1 ? value.toFixed(1) : value.toPrecision(2);

async function main(): Promise<void> {
  let results = readResults();
  if (process.argv.includes('--measure')) {
    const visits = await measure();
    results = { ...(results ?? ({} as Results)), visits };
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    log(`stored the visits in ${resultsFile}`);
  }
  const visits = results?.visits;
  if (!visits || 'error' in visits) {
    throw new Error('bench/results.json holds no measured visits: run `npm run bench` or `npm run cost -- --measure`');
  }
  const outDir = join(projectRoot, 'cdk.out');
  ensureSynthesized(projectRoot, outDir, log);
  const fixed = fixedResources(outDir);
  const measured = { steps: visits.steps, initGbSeconds: visits.initGbSeconds };
  const out: string[] = [
    `Atende monthly cost — usage measured ${results?.date ?? '(date unknown)'} (commit ${results?.commit ?? '?'}), init from ${visits.initSource}`,
    `Fixed: ${fixed.alarms} alarms, ${fixed.dashboards} dashboard(s), ${fixed.secrets} secrets; log lines outside the functions: ${logOverheads.platformBytesPerInvocation} B per invocation, ${logOverheads.accessLogBytesPerRequest} B per request`,
    '',
  ];
  const summary: string[][] = [];
  for (const profile of profiles) {
    const usage = monthlyUsage(measured, profile, logOverheads);
    out.push(
      `${profile.name} — ${profile.description}: ${quantity(usage.invocations)} invocations (${quantity(usage.coldStarts)} cold), ${quantity(usage.httpRequests)} HTTP requests, ${quantity(usage.webSocketMessages)} WebSocket messages, ${quantity(usage.readUnits)} RRU, ${quantity(usage.writeUnits)} WRU, ${quantity(usage.logBytes / 1024 ** 2)} MiB of logs`,
    );
    const row = [profile.name];
    for (const region of prices as readonly RegionPrices[]) {
      const bill = monthlyBill(measured, profile, fixed, logOverheads, region);
      out.push(renderBill(bill));
      row.push(`${money(bill.total)} (${money(bill.afterAlwaysFree)})`);
    }
    const agents = Number(/(\d+) agents/.exec(profile.description)?.[1] ?? 0);
    row.push(agents ? saas.map((s) => `${s.name} ${money(s.perAgentMonth * agents)}`).join(', ') : '—');
    summary.push(row);
    out.push('');
  }
  out.push('| profile | us-east-1 (after always-free) | sa-east-1 (after always-free) | per-agent SaaS |');
  out.push('| --- | --- | --- | --- |');
  for (const row of summary) out.push(`| ${row.join(' | ')} |`);
  out.push('');
  for (const region of prices)
    out.push(
      `Prices ${region.region}, as of ${region.asOf}${region.checked ? '' : ' (NOT re-checked)'}: ${region.note}.`,
    );
  out.push(`Sources: ${[...new Set(Object.values(priceSources))].join(' ')}`);
  out.push(
    `SaaS: ${saas.map((s) => `${s.name} $${s.perAgentMonth}/agent/month billed annually (${s.asOf}, ${s.source})`).join('; ')} — list prices from memory.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    log(`failed: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  });
}
