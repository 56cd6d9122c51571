// Typical visits replayed against cold functions, and what each of their steps uses.
//
// A help desk is low-traffic: most visits find the functions they touch cold. Deployed, each function is its own
// execution environment, so a visit pays one cold start per distinct function it touches. Locally every function runs in the one gateway process, so
// "cold" means a handler module not yet imported by a fresh gateway: the bench restarts the gateway, replays the
// visit (cold), replays it again in the same process (warm) and reports the difference. That difference is smaller
// than a deployed cold start: the gateway imports handlers from source, and the second function to start finds the
// AWS SDK, zod and our shared modules already loaded, where a deployed function loads its whole bundle (the init
// figures of the functions section, which are the honest per-function measure). So each visit also reports the sum
// of the bundle inits of the functions it touches: the added latency a visit meets deployed, Lambda's own
// environment start excluded.
//
// The same replay measures what each step uses, for `npm run cost`: invocations and their billed duration at the
// configured memory (the gateway records every invocation, infra/local/lambda.ts), HTTP requests, WebSocket
// frames both ways, DynamoDB request units (the proxy asks DynamoDB Local for ConsumedCapacity) and the bytes the
// functions log.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { functionDescription, groupedFunctions } from '../infra/function-groups.js';
import { entryFileOf } from '../infra/local/functions.js';
import type { Invocation } from '../infra/local/lambda.js';
import { defaultMemoryMb, scheduledJobs } from '../infra/routes.js';
import { world } from '../test/support/world.js';
import { call, expectStatus, type Json, openClient, type RealtimeClient, replyOk } from './clients.js';
import type { StepUsage } from './cost.js';
import { isPrincipalCheck } from './fault-proxy.js';
import { agentVisit, customerVisit, type StepName, steps as stepNames } from './profiles.js';
import type { BenchStack } from './stack.js';
import { type Summary, summarize } from './stats.js';

export interface VisitResult {
  name: string;
  steps: readonly StepName[];
  /** Distinct functions the visit invoked: its cold starts when they are all idle. */
  functions: string[];
  coldStarts: number;
  invocations: number;
  /** The whole visit, first in a fresh gateway and again right after. */
  cold: Summary;
  warm: Summary;
  /** cold − warm, p50: what the cold imports added locally. */
  addedLocallyMs: number;
  /** Sum of the bundle init p50 of `functions` (functions section), when that section ran. */
  addedDeployedMs?: number;
}

export interface VisitsResults {
  visits: VisitResult[];
  /** Lambda invocations per signed-in HTTP request (1: the route's function verifies the token itself). */
  invocationsPerHttpRequest: number;
  /** DynamoDB round trips of the customer's GET /tickets in the visits, besides the principal check. */
  listRoundTrips: number;
  /**
   * What the per-request principal check (shared/auth/current-principal.ts) costs each signed-in HTTP request of
   * the visits: how many it makes (1), the Query's time at DynamoDB (through the proxy) and its read units.
   */
  principalCheck: { perRequest: number; ms: Summary; readUnits: number };
  steps: Record<string, StepUsage>;
  /** Function → configured memory (MB), as the stack sets it. */
  memoryMb: Record<string, number>;
  /** Function → init GB-s of a cold start: bundle init × memory, or the local import when bundles were not measured. */
  initGbSeconds: Record<string, number>;
  initSource: 'bundle' | 'local import';
}

/** Configured memory of every function, by the file the local gateway invokes (infra/function-groups.ts sets it). */
export function configuredMemory(): Record<string, number> {
  const memory: Record<string, number> = {};
  for (const fn of groupedFunctions()) memory[entryFileOf(fn.group)] = fn.memory;
  for (const job of scheduledJobs) memory[job.handler] = defaultMemoryMb;
  return memory;
}

/** The file the local gateway invokes for a function named as the stack describes it (`portal function`, `scheduled outbox`). */
export function fileOfFunction(): Map<string, string> {
  const byName = new Map<string, string>();
  for (const fn of groupedFunctions()) byName.set(functionDescription(fn.group), entryFileOf(fn.group));
  for (const job of scheduledJobs) byName.set(`scheduled ${job.name}`, job.handler);
  return byName;
}

interface Meter {
  http: number;
  sent: number;
  received: number;
  logBytes: number;
}

interface Session {
  stack: BenchStack;
  meter: Meter;
  customer: { email: string; password: string; groupId: string; ticketId: string };
  agent: { id: string; email: string; password: string };
}

type Run = (session: Session, state: VisitState) => Promise<void>;

interface VisitState {
  token?: string;
  refreshToken?: string;
  client?: RealtimeClient;
  chatTicketId?: string;
  taken?: Json;
}

async function http(
  session: Session,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> },
  status: number,
): Promise<Json> {
  session.meter.http++;
  return expectStatus(await call(session.stack.gateway.httpUrl, method, path, options), status, `${method} ${path}`);
}

async function connect(session: Session, token: string): Promise<RealtimeClient> {
  const urls = { httpUrl: session.stack.gateway.httpUrl, wsUrl: session.stack.gateway.wsUrl };
  session.meter.http++; // POST /realtime/ticket
  const client = await openClient(urls, token);
  const send = client.socket.send.bind(client.socket) as (...args: unknown[]) => void;
  client.socket.send = ((...args: unknown[]) => {
    session.meter.sent++;
    send(...args);
  }) as typeof client.socket.send;
  client.socket.on('message', () => session.meter.received++);
  return client;
}

function customerRuns(): Partial<Record<StepName, Run>> {
  return {
    async signIn(s, state) {
      const { email, password } = s.customer;
      const body = await http(s, 'POST', '/auth/login', { body: { email, password } }, 200);
      state.token = body.accessToken;
      state.refreshToken = body.refreshToken;
    },
    async list(s, state) {
      await http(s, 'GET', '/tickets', { token: state.token }, 200);
    },
    async open(s, state) {
      const id = state.taken?.id ?? s.customer.ticketId;
      await http(s, 'GET', `/tickets/${id}`, { token: state.token }, 200);
      await http(s, 'GET', `/tickets/${id}/events`, { token: state.token }, 200);
    },
    async reply(s, state) {
      await http(
        s,
        'POST',
        `/tickets/${s.customer.ticketId}/messages`,
        { token: state.token, body: { body: 'Ainda não resolveu' } },
        201,
      );
    },
    async connect(s, state) {
      state.client = await connect(s, state.token as string);
    },
    async chatStart(s, state) {
      const reply = replyOk(
        await state.client?.request({
          action: 'chat.start',
          topic: 'usage',
          message: 'Preciso de ajuda',
          groupId: s.customer.groupId,
        }),
        'chat.started',
      );
      state.chatTicketId = reply.ticket.id;
    },
    async chatMessage(_s, state) {
      replyOk(
        await state.client?.request({
          action: 'message.send',
          ticketId: state.chatTicketId,
          body: 'Olá?',
          clientMessageId: `visit-${Date.now()}-${Math.random()}`,
        }),
        'message.ack',
      );
    },
    async disconnect(s, state) {
      const before = disconnects(s.stack);
      await state.client?.close();
      await waitFor(() => disconnects(s.stack) > before, '$disconnect');
    },
  };
}

function agentRuns(): Partial<Record<StepName, Run>> {
  const customer = customerRuns();
  return {
    async signIn(s, state) {
      const { email, password } = s.agent;
      state.token = (await http(s, 'POST', '/auth/login', { body: { email, password } }, 200)).accessToken;
    },
    connect: customer.connect,
    async queue(s, state) {
      const body = await http(s, 'GET', '/queue', { token: state.token }, 200);
      state.taken = body.items[0];
      if (!state.taken) throw new Error('the queue is empty: the customer visit opens the chat the agent takes');
    },
    async take(s, state) {
      const me = s.agent.id;
      const ticket = state.taken;
      state.taken = (
        await http(
          s,
          'PATCH',
          `/tickets/${ticket.id}`,
          { token: state.token, body: { assigneeId: me }, headers: { 'if-match': String(ticket.version) } },
          200,
        )
      ).ticket;
    },
    open: customer.open,
    async answer(s, state) {
      await http(
        s,
        'POST',
        `/tickets/${state.taken.id}/messages`,
        { token: state.token, body: { body: 'Vou verificar' } },
        201,
      );
    },
    async note(s, state) {
      await http(
        s,
        'POST',
        `/tickets/${state.taken.id}/notes`,
        { token: state.token, body: { body: 'Cliente com NF-e rejeitada; ver com o fiscal' } },
        201,
      );
    },
    disconnect: customer.disconnect,
  };
}

function invocationCount(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

function invocationsSince(file: string, from: number): Invocation[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(from)
      .map((line) => JSON.parse(line) as Invocation);
  } catch {
    return [];
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** $disconnect runs after the socket closed, so the step waits for its invocation to be recorded. */
const disconnects = (stack: BenchStack) =>
  invocationsSince(stack.invocationsFile, 0).filter((i) => i.route === '$disconnect').length;

async function quiet(stack: BenchStack): Promise<void> {
  // Pushes and work left in flight belong to the step that caused them.
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const now = invocationCount(stack.invocationsFile) + stack.proxy.mark();
    if (now === last && stack.proxy.inFlight() === 0) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface StepRecord {
  name: StepName;
  ms: number;
  invocations: Invocation[];
  usage: StepUsage;
  roundTrips: number;
  /** The principal checks among the round trips: their times at DynamoDB and read units. */
  principalChecks: { ms: number[]; readUnits: number };
  cold: number;
}

async function replayVisit(
  session: Session,
  visitSteps: readonly StepName[],
  runs: Partial<Record<StepName, Run>>,
  memory: Record<string, number>,
): Promise<StepRecord[]> {
  const { stack, meter } = session;
  const state: VisitState = {};
  const records: StepRecord[] = [];
  for (const name of visitSteps) {
    const run = runs[name];
    if (!run) throw new Error(`no way to replay step ${name}`);
    const before = { ...meter };
    const invocationsFrom = invocationCount(stack.invocationsFile);
    const operationsFrom = stack.proxy.mark();
    const started = performance.now();
    await run(session, state);
    const ms = performance.now() - started;
    await quiet(stack);
    const invocations = invocationsSince(stack.invocationsFile, invocationsFrom);
    const operations = stack.proxy.since(operationsFrom);
    records.push({
      name,
      ms,
      invocations,
      roundTrips: operations.length,
      principalChecks: {
        ms: operations.filter(isPrincipalCheck).map((o) => o.end - o.start),
        readUnits: operations.filter(isPrincipalCheck).reduce((sum, o) => sum + (o.capacity?.read ?? 0), 0),
      },
      cold: invocations.filter((i) => i.cold).length,
      usage: {
        invocations: invocations.length,
        gbSeconds: invocations.reduce(
          (sum, i) => sum + (Math.ceil(i.durationMs) / 1000) * ((memory[i.file] ?? defaultMemoryMb) / 1024),
          0,
        ),
        functions: [...new Set(invocations.map((i) => i.file))],
        httpRequests: meter.http - before.http,
        webSocketMessages: meter.sent - before.sent + meter.received - before.received,
        readUnits: operations.reduce((sum, o) => sum + (o.capacity?.read ?? 0), 0),
        writeUnits: operations.reduce((sum, o) => sum + (o.capacity?.write ?? 0), 0),
        logBytes: meter.logBytes - before.logBytes,
      },
    });
  }
  return records;
}

export async function benchVisits(options: {
  stack: BenchStack;
  runs: number;
  /** Bundle init p50 by the file the local gateway invokes (fileOfFunction), from the functions section. */
  bundleInitMs?: Record<string, number>;
  log(line: string): void;
}): Promise<VisitsResults> {
  const { stack } = options;
  const memory = configuredMemory();
  const meter: Meter = { http: 0, sent: 0, received: 0, logBytes: 0 };
  const stopListening = stack.onFunctionLine((line) => {
    meter.logBytes += Buffer.byteLength(line) + 1;
  });
  stack.proxy.measureCapacity(true);
  try {
    const group = await world.group();
    const customer = await world.customer({ group });
    const agent = await world.agent();
    const ticket = expectStatus(
      await call(stack.gateway.httpUrl, 'POST', '/tickets', {
        token: customer.token,
        body: { groupId: group.id, topic: 'billing', subject: 'Nota fiscal', description: 'Rejeitada pela prefeitura' },
      }),
      201,
      'POST /tickets',
    ).ticket;
    const session: Session = {
      stack,
      meter,
      customer: {
        email: customer.email,
        password: customer.password as string,
        groupId: group.id,
        ticketId: ticket.id,
      },
      agent: { id: agent.user.id, email: agent.email, password: agent.password as string },
    };
    // A first sign-in each, unmeasured: login rehashes the fixtures' cheap password hashes at production cost
    // (shared/auth/sessions.ts), so the measured ones verify what a real account holds.
    for (const who of [session.customer, session.agent])
      await call(stack.gateway.httpUrl, 'POST', '/auth/login', { body: { email: who.email, password: who.password } });

    const visits = [
      { name: 'customer: sign in → list → open → reply → chat', steps: customerVisit, runs: customerRuns() },
      { name: 'agent: sign in → connect → queue → take → open → answer → note', steps: agentVisit, runs: agentRuns() },
    ];
    const cold = new Map<string, number[]>();
    const warm = new Map<string, number[]>();
    const coldRecords = new Map<string, StepRecord[]>();
    const warmRecords: StepRecord[] = [];
    for (let run = 0; run < options.runs; run++) {
      for (const visit of visits) {
        await stack.gateway.restart();
        const first = await replayVisit(session, visit.steps, visit.runs, memory);
        const second = await replayVisit(session, visit.steps, visit.runs, memory);
        cold.set(visit.name, [...(cold.get(visit.name) ?? []), sumMs(first)]);
        warm.set(visit.name, [...(warm.get(visit.name) ?? []), sumMs(second)]);
        coldRecords.set(visit.name, first);
        warmRecords.push(...second);
        options.log(`visit ${visit.name}: cold ${sumMs(first).toFixed(0)} ms, warm ${sumMs(second).toFixed(0)} ms`);
      }
    }

    // Steps not in either visit, measured warm once for the cost model.
    const extra: Partial<Record<StepName, Run>> = {
      ...customerRuns(),
      async create(s, state) {
        await http(
          s,
          'POST',
          '/tickets',
          {
            token: state.token,
            body: { groupId: s.customer.groupId, topic: 'usage', subject: 'Dúvida', description: 'Como exporto?' },
          },
          201,
        );
      },
      async refresh(s, state) {
        const body = await http(s, 'POST', '/auth/refresh', { body: { refreshToken: state.refreshToken } }, 200);
        state.refreshToken = body.refreshToken;
        state.token = body.accessToken;
      },
      async ping(_s, state) {
        replyOk(await state.client?.request({ action: 'ping' }), 'pong');
      },
    };
    const extraSteps: StepName[] = ['signIn', 'create', 'refresh', 'connect', 'ping', 'disconnect'];
    for (let run = 0; run < 2; run++)
      warmRecords.push(
        ...(await replayVisit(session, extraSteps, extra, memory)).filter(
          (r) => r.name === 'create' || r.name === 'refresh' || r.name === 'ping',
        ),
      );
    for (const job of scheduledJobs) warmRecords.push(await scheduledRun(stack, memory, job));

    const stepsUsage: Record<string, StepUsage> = {};
    for (const name of Object.keys(stepNames) as StepName[]) {
      const records = warmRecords.filter((r) => r.name === name);
      if (records.length > 0) stepsUsage[name] = mean(records.map((r) => r.usage));
    }

    const allInvocations = invocationsSince(stack.invocationsFile, 0);
    const initGbSeconds: Record<string, number> = {};
    const bundle = options.bundleInitMs;
    for (const [file, mb] of Object.entries(memory)) {
      const localInits = allInvocations.filter((i) => i.file === file && i.cold).map((i) => i.initMs);
      const initMs = bundle?.[file] ?? (localInits.length ? summarize(localInits).median : undefined);
      if (initMs !== undefined) initGbSeconds[file] = (initMs / 1000) * (mb / 1024);
    }

    // Signed-in HTTP steps only (sign-in and refresh carry no token, connect also opens the WebSocket).
    const httpSteps = warmRecords.filter(
      (r) => r.usage.httpRequests > 0 && r.name !== 'signIn' && r.name !== 'refresh' && r.name !== 'connect',
    );
    const signedInInvocations = httpSteps.reduce((sum, r) => sum + r.invocations.length, 0);
    const signedInRequests = httpSteps.reduce((sum, r) => sum + r.usage.httpRequests, 0);
    const lists = warmRecords.filter((r) => r.name === 'list').map((r) => r.roundTrips - r.principalChecks.ms.length);
    const checks = httpSteps.flatMap((r) => r.principalChecks.ms);

    return {
      visits: visits.map((visit) => {
        const records = coldRecords.get(visit.name) ?? [];
        const functions = [...new Set(records.flatMap((r) => r.usage.functions))];
        const coldSummary = summarize(cold.get(visit.name) ?? []);
        const warmSummary = summarize(warm.get(visit.name) ?? []);
        const deployed = bundle ? functions.reduce((sum, f) => sum + (bundle[f] ?? 0), 0) : undefined;
        return {
          name: visit.name,
          steps: visit.steps,
          functions,
          coldStarts: records.reduce((sum, r) => sum + r.cold, 0),
          invocations: records.reduce((sum, r) => sum + r.usage.invocations, 0),
          cold: coldSummary,
          warm: warmSummary,
          addedLocallyMs: coldSummary.median - warmSummary.median,
          ...(deployed !== undefined ? { addedDeployedMs: deployed } : {}),
        };
      }),
      invocationsPerHttpRequest: signedInRequests ? signedInInvocations / signedInRequests : 0,
      listRoundTrips: lists.length ? Math.max(...lists) : 0,
      principalCheck: {
        perRequest: signedInRequests ? checks.length / signedInRequests : 0,
        ms: summarize(checks),
        readUnits: checks.length
          ? httpSteps.reduce((sum, r) => sum + r.principalChecks.readUnits, 0) / checks.length
          : 0,
      },
      steps: stepsUsage,
      memoryMb: memory,
      initGbSeconds,
      initSource: bundle ? 'bundle' : 'local import',
    };
  } finally {
    stack.proxy.measureCapacity(false);
    stopListening();
  }
}

/**
 * A scheduled job with nothing to do. The bench's gateway runs no scheduled jobs (their round trips would mix
 * with the requests'), so the job runs twice in a process of its own, through the counting proxy; the second run is
 * the one a warm schedule pays.
 */
async function scheduledRun(
  stack: BenchStack,
  memory: Record<string, number>,
  job: (typeof scheduledJobs)[number],
): Promise<StepRecord> {
  const operationsFrom = stack.proxy.mark();
  const script = `const { handler } = await import(${JSON.stringify(new URL(`../${job.handler}`, import.meta.url).href)}); await handler(); const s = performance.now(); await handler(); process.stdout.write(String(performance.now() - s)); process.exit(0);`;
  // Asynchronously: the proxy it goes through runs in this process.
  const { stdout: output } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: stack.proxy.url }, encoding: 'utf8', timeout: 120_000 },
  );
  const durationMs = Number(output.trim().split('\n').pop());
  await quiet(stack);
  const operations = stack.proxy.since(operationsFrom);
  const half = (n: number) => n / 2;
  return {
    name: job.name,
    ms: durationMs,
    invocations: [],
    roundTrips: half(operations.length),
    principalChecks: { ms: [], readUnits: 0 },
    cold: 0,
    usage: {
      invocations: 1,
      gbSeconds: (Math.ceil(durationMs) / 1000) * ((memory[job.handler] ?? defaultMemoryMb) / 1024),
      functions: [job.handler],
      httpRequests: 0,
      webSocketMessages: 0,
      // Two runs went through the proxy (the first warms the module): one run's share.
      readUnits: half(operations.reduce((sum, o) => sum + (o.capacity?.read ?? 0), 0)),
      writeUnits: half(operations.reduce((sum, o) => sum + (o.capacity?.write ?? 0), 0)),
      logBytes: 0,
    },
  };
}

const sumMs = (records: StepRecord[]) => records.reduce((sum, r) => sum + r.ms, 0);

function mean(usages: StepUsage[]): StepUsage {
  const n = usages.length;
  const avg = (pick: (u: StepUsage) => number) => usages.reduce((sum, u) => sum + pick(u), 0) / n;
  return {
    invocations: avg((u) => u.invocations),
    gbSeconds: avg((u) => u.gbSeconds),
    functions: [...new Set(usages.flatMap((u) => u.functions))],
    httpRequests: avg((u) => u.httpRequests),
    webSocketMessages: avg((u) => u.webSocketMessages),
    readUnits: avg((u) => u.readUnits),
    writeUnits: avg((u) => u.writeUnits),
    logBytes: avg((u) => u.logBytes),
  };
}
