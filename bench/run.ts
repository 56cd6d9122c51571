// `npm run bench`: one table of what users pay for (cold starts, request latency, real-time delivery), each
// figure beside a baseline measured in the same run on the same machine, and bench/results.json with
// every number behind it. `npm run bench -- --quick` runs fewer repetitions (a smoke test of the bench);
// `npm run bench -- --only=visits,notification` runs only the sections whose names contain one of the words.
//
// Sections that cannot run (cdk synth failing, a route not there yet) are reported as such in the table;
// the rest still runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { entrySource, functionDescription, groupedFunctions } from '../infra/function-groups.js';
import { functionEnvironment } from '../infra/local/environment.js';
import { projectRoot } from '../infra/local/paths.js';
import { productionCost } from '../shared/auth/passwords.js';
import { world } from '../test/support/world.js';
import { buildWeb, webDist } from '../web/build.js';
import {
  buildBaseline,
  bundleComposition,
  ensureSynthesized,
  measureInits,
  sharedBundles,
  synthesizedFunctions,
} from './assets.js';
import { call, expectStatus, openTicket } from './clients.js';
import { httpProtocol, startFaultProxy } from './fault-proxy.js';
import { benchRoute, type RouteResult } from './http.js';
import { type LoadReport, runLoad } from './load.js';
import { describeMachine, machine } from './machine.js';
import { benchNotifications, type NotificationsResult } from './notifications.js';
import { benchFanout, type FanoutResult } from './realtime.js';
import { seedReportYear } from './reports.js';
import { otherRoundTrips } from './round-trips.js';
import { startBenchStack } from './stack.js';
import { type Summary, summarize } from './stats.js';
import { benchVisits, fileOfFunction, type VisitsResults } from './visits.js';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .filter(Boolean);
const plan = {
  initRuns: quick ? 3 : 7,
  visitRuns: quick ? 1 : 3,
  httpRuns: quick ? 5 : 40,
  httpWarmup: quick ? 2 : 5,
  loginRuns: quick ? 3 : 10,
  fanoutSizes: quick ? [1, 10] : [1, 10, 100, 500],
  fanoutRuns: (n: number) => (quick ? 2 : n >= 500 ? 5 : n >= 100 ? 10 : 20),
  // A PostToConnection from Lambda to API Gateway in the same region: some tens of milliseconds.
  postLatency: { ms: 20, sizes: quick ? [10] : [100, 500], runs: quick ? 1 : 3 },
  sustained: quick ? { clients: 6, tickets: 2, messages: 3 } : { clients: 40, tickets: 8, messages: 10 },
  /** Aggregates per day for the one-year summary: the day × topic × group × agent combinations with activity. */
  reportAggregatesPerDay: quick ? 10 : 60,
};

/** Targets from the performance issue; regressions against them are bugs. */
export const targets = {
  initRatio: 1.25,
  httpRatio: 1.5,
  invocationsPerHttpRequest: 1,
  coldStartsPerCustomerVisit: 2,
  fanoutSpeedupAt500: 10,
  /** What a host platform's page downloads to have the chat (/embed.js), gzipped. */
  embedScriptGzipBytes: 10 * 1024,
};

/** The function whose bundle the table breaks down by source: the one every customer and agent visit starts. */
const compositionFunction = 'portal';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface FunctionResult {
  name: string;
  bytes: number;
  init: Summary;
  /** init p50 / baseline init p50. */
  ratio: number;
}

export interface Results {
  date: string;
  commit: string;
  machine: ReturnType<typeof machine>;
  quick: boolean;
  targets: typeof targets;
  functions?:
    | {
        baseline: { bytes: number; init: Summary };
        items: FunctionResult[];
        sharedBundles?: string[][];
        /** What the bundle of a hot route is made of, largest sources first. */
        composition: { route: string; sources: { source: string; bytes: number }[] };
      }
    | { error: string };
  http?: { items: RouteResult[]; passwordHash: string } | { error: string };
  /** Round trips of the other routes and the WebSocket actions (no latency comparison). */
  roundTrips?: { items: RouteResult[] } | { error: string };
  /** Typical visits against cold functions, and what each step uses (read by `npm run cost`). */
  visits?: VisitsResults | { error: string };
  notifications?: NotificationsResult | { error: string };
  fanout?: { pool: number; items: FanoutResult[] } | { error: string };
  sustained?: LoadReport | { error: string };
  /** /embed.js as built for host pages: its size and gzipped size in bytes. */
  embedScript?: { bytes: number; gzipped: number } | { error: string };
  /** Every request the gateway's functions sent DynamoDB during the run, by operation. */
  dynamodb?: { requests: number; byOperation: Record<string, number> };
}

async function section<T>(name: string, run: () => Promise<T>): Promise<T | { error: string } | undefined> {
  if (only && !only.some((word) => name.toLowerCase().includes(word.toLowerCase()))) return undefined;
  const started = Date.now();
  try {
    const result = await run();
    log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    log(`${name}: FAILED: ${(error as Error).stack ?? error}`);
    return { error: (error as Error).message.split('\n')[0] as string };
  }
}

async function functionsSection(): Promise<Results['functions']> {
  const outDir = join(projectRoot, 'cdk.out');
  ensureSynthesized(projectRoot, outDir, log);
  const functions = synthesizedFunctions(outDir);
  if (functions.length === 0) throw new Error('cdk.out has no Atende functions');
  const shared = sharedBundles(functions);
  for (const names of shared)
    log(`WARNING: ${names.length} functions share one bundle (${names.slice(0, 3).join(', ')}, …)`);
  const scratch = mkdtempSync(join(tmpdir(), 'atende-bench-baseline-'));
  try {
    const baseline = await buildBaseline(projectRoot, scratch);
    // What a function's module sees at init in Lambda: its environment (values do not matter, names do).
    const env = {
      PATH: process.env.PATH ?? '',
      ...functionEnvironment({
        ports: { http: 1, ws: 2, ses: 3, s3: 4, dynamodb: 5, smtp: 6, hostDemo: 0 },
        dataDir: scratch,
      }),
      AWS_LAMBDA_FUNCTION_NAME: 'atende-bench',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      POWERTOOLS_SERVICE_NAME: 'atende',
    };
    log(`init: ${functions.length} functions + baseline, ${plan.initRuns} fresh processes each`);
    const files = [...new Set(functions.map((f) => f.file))];
    const samples = await measureInits([baseline.file, ...files], plan.initRuns, env);
    const baselineInit = summarize(samples.get(baseline.file) ?? []);
    const hot = groupedFunctions().find((fn) => fn.group === compositionFunction);
    if (!hot) throw new Error(`no function ${compositionFunction}`);
    const entry = join(scratch, `${compositionFunction}.ts`);
    writeFileSync(
      entry,
      entrySource(hot, (file) => join(projectRoot, file)),
    );
    const composition = {
      route: functionDescription(compositionFunction),
      sources: await bundleComposition(projectRoot, entry),
    };
    return {
      composition,
      ...(shared.length > 0 ? { sharedBundles: shared } : {}),
      baseline: { bytes: baseline.bytes, init: baselineInit },
      items: functions.map((fn) => {
        const init = summarize(samples.get(fn.file) ?? []);
        return { name: fn.name, bytes: fn.bytes, init, ratio: init.median / baselineInit.median };
      }),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  // With --only, the sections not run keep what the last run measured (bench/results.json).
  const resultsFile = join(projectRoot, 'bench', 'results.json');
  const earlier = only && existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) : {};
  const results: Results = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: machine(),
    quick,
    targets,
  };
  log(`machine: ${describeMachine(results.machine)}`);
  // Production password hashing, in the gateway and for the people made here: login as users meet it.
  delete process.env.ATENDE_SCRYPT_N;
  results.embedScript = await section('embed.js size', async () => {
    await buildWeb();
    const script = readFileSync(join(webDist, 'embed.js'));
    return { bytes: script.length, gzipped: gzipSync(script, { level: 9 }).length };
  });
  results.functions = await section('bundle size and init', functionsSection);

  log('starting the local stack (DynamoDB Local, SES, S3, gateway behind the counting proxy)');
  const stack = await startBenchStack({ print: log });
  try {
    const urls = { httpUrl: stack.gateway.httpUrl, wsUrl: stack.gateway.wsUrl };
    const group = await world.group();
    const customer = await world.customer({ group });

    results.http = await section('HTTP latency', async () => {
      const token = customer.token;
      const created: string[] = [];
      const post = async (run: number) => {
        const ticket = await openTicket(urls.httpUrl, token, {
          groupId: group.id,
          topic: 'billing',
          subject: `Bench ${run}`,
          description: 'Nota fiscal rejeitada',
        });
        created.push(ticket.id);
      };
      const options = { runs: plan.httpRuns, warmup: plan.httpWarmup };
      const items: RouteResult[] = [];
      items.push(await benchRoute(stack.proxy, { route: 'POST /tickets', send: post }, options));
      items.push(
        await benchRoute(
          stack.proxy,
          {
            route: 'GET /tickets',
            send: async () => expectStatus(await call(urls.httpUrl, 'GET', '/tickets', { token }), 200, 'GET /tickets'),
          },
          options,
        ),
      );
      const ticketId = created[0];
      items.push(
        await benchRoute(
          stack.proxy,
          {
            route: 'POST /tickets/{id}/messages',
            send: async (run) =>
              expectStatus(
                await call(urls.httpUrl, 'POST', `/tickets/${ticketId}/messages`, {
                  token,
                  body: { body: `Mensagem ${run}` },
                }),
                201,
                'POST /tickets/{id}/messages',
              ),
          },
          options,
        ),
      );
      items.push(
        await benchRoute(
          stack.proxy,
          {
            route: 'POST /auth/login',
            directNote: 'not compared: its cost is the deliberately slow password hash',
            send: async () =>
              expectStatus(
                await call(urls.httpUrl, 'POST', '/auth/login', {
                  body: { email: customer.email, password: customer.password },
                }),
                200,
                'POST /auth/login',
              ),
          },
          { runs: plan.loginRuns, warmup: 1 },
        ),
      );
      // GET /reports/summary over a whole year of aggregates (a busy help desk's: see plan).
      const year = 2019;
      const aggregates = await seedReportYear(year, plan.reportAggregatesPerDay);
      const admin = await world.admin();
      for (const by of ['day', 'agent'] as const) {
        const path = `/reports/summary?from=${year}-01-01&to=${year}-12-31&by=${by}`;
        const route = `GET /reports/summary (one year by ${by}, ${aggregates} aggregates)`;
        items.push(
          await benchRoute(
            stack.proxy,
            {
              route,
              send: async () => expectStatus(await call(urls.httpUrl, 'GET', path, { token: admin.token }), 200, route),
            },
            { runs: Math.min(plan.httpRuns, 20), warmup: plan.httpWarmup },
          ),
        );
      }
      const { N, r, p } = productionCost;
      return { items, passwordHash: `scrypt N=2^${Math.log2(N)}, r=${r}, p=${p}` };
    });

    results.roundTrips = await section('round trips of the other routes', async () => {
      const agent = await world.agent();
      const ticket = await openTicket(urls.httpUrl, customer.token, {
        groupId: group.id,
        topic: 'usage',
        subject: 'Round trips',
        description: 'a ticket to read',
      });
      return {
        items: await otherRoundTrips(stack.proxy, { urls, customer, agent, groupId: group.id, ticketId: ticket.id }),
      };
    });

    results.visits = await section('visits against cold functions', () =>
      benchVisits({ stack, runs: plan.visitRuns, bundleInitMs: bundleInits(results.functions), log }),
    );

    results.notifications = await section('notification e-mails per reply', async () =>
      benchNotifications({
        httpUrl: urls.httpUrl,
        groupId: group.id,
        requester: customer,
        follower: await world.customer({ group }),
        agent: await world.agent(),
        replies: 3,
      }),
    );

    results.fanout = await section('WebSocket fan-out', async () => {
      // This process's @connections client (created on first use) goes through a proxy that can add latency.
      const connections = await startFaultProxy(stack.env.CONNECTIONS_ENDPOINT as string, httpProtocol);
      process.env.CONNECTIONS_ENDPOINT = connections.url;
      const ticket = await openTicket(urls.httpUrl, customer.token, {
        groupId: group.id,
        topic: 'usage',
        subject: 'Fan-out bench',
        description: 'many subscribers',
      });
      // Each person holds at most 10 connections (api.md, "Limits against abuse"): enough colleagues for the largest size.
      const holders = Math.ceil((Math.max(...plan.fanoutSizes) + 1) / 10);
      const colleagues = await Promise.all(Array.from({ length: holders - 1 }, () => world.customer({ group })));
      const { results: items, pool } = await benchFanout({
        urls,
        tokens: [customer, ...colleagues].map((person) => person.token),
        ticketId: ticket.id,
        sizes: plan.fanoutSizes,
        runs: plan.fanoutRuns,
        connections,
        latency: plan.postLatency,
        log,
      }).finally(() => connections.close());
      return { pool, items };
    });

    results.sustained = await section('sustained messages', async () => {
      // Spreading connections over a few people, as a real group would (each holds at most 10).
      const others = Math.max(3, Math.ceil(plan.sustained.clients / 10) - 1);
      const people = [
        customer,
        ...(await Promise.all(Array.from({ length: others }, () => world.customer({ group })))),
      ];
      return runLoad({ gateway: stack.gateway, ...plan.sustained, people, groupId: group.id, log });
    });
    const byOperation: Record<string, number> = {};
    for (const { name } of stack.proxy.operations) byOperation[name] = (byOperation[name] ?? 0) + 1;
    results.dynamodb = { requests: stack.proxy.operations.length, byOperation };
  } finally {
    await stack.stop();
  }

  for (const [key, value] of Object.entries(earlier)) {
    const section = key as keyof Results;
    if (results[section] === undefined) Object.assign(results, { [section]: value });
  }
  const path = resultsFile;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderTable(results)}\n`);
  log(`wrote ${path} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Bundle init p50 by the file the local gateway invokes, from the functions section (undefined when it did not run). */
export function bundleInits(functions: Results['functions']): Record<string, number> | undefined {
  if (!functions || 'error' in functions) return undefined;
  const files = fileOfFunction();
  const inits: Record<string, number> = {};
  for (const fn of functions.items) {
    const file = files.get(fn.name);
    if (file) inits[file] = fn.init.median;
  }
  return inits;
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: projectRoot,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

// ---- The table ---------------------------------------------------------------------------------------

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const pair = (s: Summary, unit = 'ms') => `${ms(s.median)} / ${ms(s.p95)} ${unit}`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
const times = (value: number) => `${value.toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

const hotReads = new Set(['GET /tickets']);
const hotWrites = new Set(['POST /tickets', 'POST /tickets/{id}/messages']);

function roundTripVerdict(item: RouteResult): string {
  const { max, typical, principalChecks } = item.roundTrips;
  if (item.scans > 0) return `no Scan: MISSED (${item.scans})`;
  // The principal check (its own row) comes before every signed-in route's work.
  if (hotReads.has(item.route)) return `1 round trip + the principal check: ${verdict(max - principalChecks === 1)}`;
  if (hotWrites.has(item.route)) {
    const transactions = Number(/TransactWriteItems×(\d+)/.exec(typical)?.[1] ?? 0);
    const others = max - transactions;
    return `1 transaction: ${verdict(transactions === 1)}${others > 0 ? ` (+${others} other round trips)` : ''}`;
  }
  return 'no Scan: ok';
}

export function renderTable(results: Results): string {
  const rows: string[][] = [];
  const embed = results.embedScript;
  if (embed && 'error' in embed) rows.push(['/embed.js (gzipped)', `not measured: ${embed.error}`, '', '', '']);
  else if (embed) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    rows.push([
      '/embed.js on a host page (gzipped)',
      `${kb(embed.gzipped)} (${kb(embed.bytes)} raw)`,
      '',
      '',
      `≤ ${kb(targets.embedScriptGzipBytes)}: ${verdict(embed.gzipped <= targets.embedScriptGzipBytes)}`,
    ]);
  }
  const functions = results.functions;
  if (functions && 'error' in functions)
    rows.push(['bundle size and init', `not measured: ${functions.error}`, '', '', '']);
  else if (functions) {
    const base = functions.baseline;
    for (const names of functions.sharedBundles ?? []) {
      rows.push([
        `${names.length} functions share ONE bundle (bundling bug?)`,
        names.slice(0, 4).join(', '),
        '',
        '',
        'MISSED',
      ]);
    }
    const { route, sources } = functions.composition;
    const total = sources.reduce((sum, s) => sum + s.bytes, 0);
    rows.push([
      `what the ${route} bundle is made of (${kib(total)} of code)`,
      sources
        .slice(0, 6)
        .map((s) => `${s.source} ${kib(s.bytes)}`)
        .join(', '),
      `@aws-sdk/client-dynamodb + @smithy + @aws-sdk/core only`,
      '',
      '',
    ]);
    for (const fn of functions.items) {
      rows.push([
        `init ${fn.name} (${kib(fn.bytes)}, ${times(fn.bytes / base.bytes)} size)`,
        pair(fn.init),
        `${pair(base.init)} (${kib(base.bytes)})`,
        times(fn.ratio),
        `≤ ${times(targets.initRatio)}: ${verdict(fn.ratio <= targets.initRatio)}`,
      ]);
    }
  }

  const http = results.http;
  if (http && 'error' in http) rows.push(['HTTP latency', `not measured: ${http.error}`, '', '', '']);
  else if (http) {
    for (const item of http.items) {
      const login = item.route === 'POST /auth/login';
      rows.push([
        `HTTP ${item.route}${login ? ` (${http.passwordHash})` : ''}`,
        pair(item.gateway),
        item.direct ? `${pair(item.direct)} direct` : (item.note ?? ''),
        item.ratio === undefined ? '' : times(item.ratio),
        login || item.ratio === undefined
          ? 'reported apart'
          : `≤ ${times(targets.httpRatio)}: ${verdict(item.ratio <= targets.httpRatio)}`,
      ]);
      rows.push([
        `DynamoDB round trips ${item.route}`,
        `${item.roundTrips.median} (max ${item.roundTrips.max}): ${item.roundTrips.example.join(' · ')}` +
          (item.roundTrips.afterResponse ? `; ${item.roundTrips.afterResponse} after the response` : ''),
        '',
        '',
        roundTripVerdict(item),
      ]);
    }
  }
  const others = results.roundTrips;
  if (others && 'error' in others)
    rows.push(['round trips of the other routes', `not measured: ${others.error}`, '', '', '']);
  else if (others) {
    for (const item of others.items) {
      rows.push([
        `DynamoDB round trips ${item.route}`,
        `${item.roundTrips.median} (max ${item.roundTrips.max}): ${item.roundTrips.example.join(' · ')}`,
        '',
        '',
        roundTripVerdict(item),
      ]);
    }
  }
  const visits = results.visits;
  if (visits && 'error' in visits)
    rows.push(['visits against cold functions', `not measured: ${visits.error}`, '', '', '']);
  else if (visits) {
    rows.push([
      'Lambda invocations per signed-in HTTP request',
      `${visits.invocationsPerHttpRequest.toFixed(2)} (the route's function verifies the token)`,
      '',
      '',
      `${targets.invocationsPerHttpRequest}: ${verdict(visits.invocationsPerHttpRequest <= targets.invocationsPerHttpRequest)}`,
    ]);
    for (const visit of visits.visits) {
      const customer = visit.name.startsWith('customer');
      rows.push([
        `cold starts per visit, ${visit.name}`,
        `${visit.coldStarts} of ${visit.invocations} invocations (${visit.functions.length} functions)`,
        '',
        '',
        customer
          ? `≤ ${targets.coldStartsPerCustomerVisit}: ${verdict(visit.coldStarts <= targets.coldStartsPerCustomerVisit)}`
          : '',
      ]);
      rows.push([
        `visit time, ${visit.name}, fresh gateway vs warm`,
        pair(visit.cold),
        `${pair(visit.warm)} warm`,
        `+${ms(visit.addedLocallyMs)} ms locally`,
        visit.addedDeployedMs === undefined ? '' : `deployed: +${ms(visit.addedDeployedMs)} ms of bundle init`,
      ]);
    }
    const check = visits.principalCheck;
    rows.push([
      'principal check per signed-in request (current role, status, groups)',
      `${check.perRequest.toFixed(2)} Query, ${pair(check.ms)} at DynamoDB, ${check.readUnits.toFixed(2)} read units`,
      '',
      '',
      '',
    ]);
    rows.push([
      'GET /tickets round trips (customer, in the visits, besides the principal check)',
      String(visits.listRoundTrips),
      '',
      '',
      `1: ${verdict(visits.listRoundTrips === 1)}`,
    ]);
  }
  const notifications = results.notifications;
  if (notifications && 'error' in notifications)
    rows.push(['notification e-mails per reply', `not measured: ${notifications.error}`, '', '', '']);
  else if (notifications) {
    const { replies, recipients, emails } = notifications;
    rows.push([
      `notification e-mails per reply (${replies} agent replies in one batch window, ${recipients} people away)`,
      `${(emails / replies).toFixed(2)} (${emails} e-mails)`,
      `${recipients} per reply unbatched`,
      '',
      `≤ 1 per person per window: ${verdict(emails <= recipients)}`,
    ]);
  }
  const fanout = results.fanout;
  if (fanout && 'error' in fanout) rows.push(['WebSocket delivery', `not measured: ${fanout.error}`, '', '', '']);
  else if (fanout) {
    for (const item of fanout.items) {
      rows.push([`message.send → all ${item.subscribers} subscribers`, pair(item.endToEnd), '', '', '']);
      const at500 = item.subscribers >= 500;
      rows.push([
        `fan-out to ${item.subscribers} on loopback (pool of ${fanout.pool} vs serial)`,
        pair(item.pooled),
        `${pair(item.serial)} serial`,
        `${times(item.speedup)} faster`,
        at500 ? `≥ ${targets.fanoutSpeedupAt500}×: ${verdict(item.speedup >= targets.fanoutSpeedupAt500)}` : '',
      ]);
      const far = item.withLatency;
      if (far) {
        rows.push([
          `fan-out to ${item.subscribers}, each post +${far.latencyMs} ms (simulated network)`,
          pair(far.pooled),
          `${pair(far.serial)} serial`,
          `${times(far.speedup)} faster`,
          at500 ? `≥ ${targets.fanoutSpeedupAt500}×: ${verdict(far.speedup >= targets.fanoutSpeedupAt500)}` : '',
        ]);
      }
    }
  }
  const sustained = results.sustained;
  if (sustained && 'error' in sustained)
    rows.push(['sustained messages', `not measured: ${sustained.error}`, '', '', '']);
  else if (sustained) {
    const lost = sustained.problems.reduce((sum, p) => sum + p.missing, 0);
    const duplicated = sustained.problems.reduce((sum, p) => sum + p.duplicates, 0);
    rows.push([
      `sustained: ${sustained.clients} clients × ${sustained.messagesPerClient} messages on ${sustained.tickets} tickets`,
      `${sustained.messagesPerSecond.toFixed(0)} messages/s, ${sustained.deliveriesPerSecond.toFixed(0)} pushes/s`,
      `ack ${pair(sustained.ack)}${sustained.resent ? `; ${sustained.resent} resent after 503` : ''}`,
      '',
      `0 lost, 0 duplicated: ${verdict(lost === 0 && duplicated === 0 && sustained.stored === sustained.sent)}` +
        (Object.keys(sustained.errors).length ? ` (failed: ${JSON.stringify(sustained.errors)})` : ''),
    ]);
  }

  if (results.dynamodb) {
    const scans = results.dynamodb.byOperation.Scan ?? 0;
    rows.push([
      'DynamoDB Scans, whole run',
      `${scans} of ${results.dynamodb.requests} requests`,
      '',
      '',
      `none: ${verdict(scans === 0)}`,
    ]);
  }

  const header = ['measure', 'ours p50 / p95', 'baseline p50 / p95', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `Atende bench — ${describeMachine(results.machine)} — commit ${results.commit}, ${results.date}${results.quick ? ' (quick)' : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    log(`failed: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  });
}
