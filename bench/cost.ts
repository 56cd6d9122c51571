// The monthly bill of a profile: measured usage per step of a visit (bench/visits.ts, stored in
// bench/results.json) × how many of each visit the profile makes in a month (bench/profiles.ts) × the price
// table (bench/prices.ts). Pure arithmetic, unit-tested in test/unit/bench/cost.test.ts; the free tier is
// computed and shown apart, never folded into the prices.
import { freeTier, type RegionPrices } from './prices.js';

/** What one step of a visit (sign in, list, reply, one chat message…) costs in each billed unit, as measured. */
export interface StepUsage {
  /** Lambda invocations, authorizers included. */
  invocations: number;
  /** Handler time, each invocation rounded up to the next millisecond, × the function's configured memory in GB. */
  gbSeconds: number;
  /** The functions that ran (handler files), for the cold starts of a visit. */
  functions: string[];
  httpRequests: number;
  /** WebSocket frames received and sent (replies and pushes to every connection), each under 32 KB. */
  webSocketMessages: number;
  /** DynamoDB request units as DynamoDB Local reported them (ReturnConsumedCapacity). */
  readUnits: number;
  writeUnits: number;
  /** Bytes the functions wrote to their log stream (the request log line and any other). */
  logBytes: number;
}

export interface MeasuredUsage {
  steps: Record<string, StepUsage>;
  /** Init of each function when it starts cold, × its memory, in GB-seconds (billed since August 2025). */
  initGbSeconds: Record<string, number>;
}

export interface VisitCount {
  name: string;
  steps: readonly string[];
  perMonth: number;
  /** Share of these visits that find every function they touch cold (1: each visit is the first in a while). */
  coldShare: number;
}

export interface Profile {
  name: string;
  description: string;
  visits: readonly VisitCount[];
  /** Minutes WebSocket connections stay open in the month (agents' consoles, customers' pages and chats). */
  connectionMinutes: number;
  emails: number;
  s3: { puts: number; gets: number; storedGb: number };
  /** Table size after a year of this traffic. */
  dynamodbStoredGb: number;
  /** Distinct custom metrics published in the month (EMF). */
  customMetrics: number;
  /** Log data kept (compressed, as CloudWatch stores it) at steady state under the configured retention. */
  logsStoredGbPerGbIngested: number;
}

/** What the stack holds whether or not anyone uses it, read from the synthesized template. */
export interface Fixed {
  alarms: number;
  dashboards: number;
  secrets: number;
}

/** Lines outside the functions' own output: Lambda's START/END/REPORT and API Gateway's access log line. */
export interface LogOverheads {
  platformBytesPerInvocation: number;
  accessLogBytesPerRequest: number;
}

export interface BillLine {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  /** At list price, before any free tier. */
  cost: number;
  /** What the free tier would cover of this line, and whether that tier lasts (always) or only the first year. */
  free?: { quantity: number; value: number; always: boolean };
}

export interface Bill {
  profile: string;
  region: string;
  lines: BillLine[];
  /** Sum at list price. */
  total: number;
  /** After the always-free tier (what an account older than a year pays). */
  afterAlwaysFree: number;
  /** After every free tier (an account in its first year, opened before July 2025). */
  afterAllFree: number;
}

export interface MonthlyUsage {
  invocations: number;
  gbSeconds: number;
  initGbSeconds: number;
  coldStarts: number;
  httpRequests: number;
  webSocketMessages: number;
  readUnits: number;
  writeUnits: number;
  logBytes: number;
}

const gb = 1024 ** 3;

/** The month's usage of a profile: every visit's steps, plus the init of the functions it finds cold. */
export function monthlyUsage(measured: MeasuredUsage, profile: Profile, overheads: LogOverheads): MonthlyUsage {
  const total: MonthlyUsage = {
    invocations: 0,
    gbSeconds: 0,
    initGbSeconds: 0,
    coldStarts: 0,
    httpRequests: 0,
    webSocketMessages: 0,
    readUnits: 0,
    writeUnits: 0,
    logBytes: 0,
  };
  for (const visit of profile.visits) {
    const touched = new Set<string>();
    for (const name of visit.steps) {
      const step = measured.steps[name];
      if (!step)
        throw new Error(`no measurement for step "${name}" (visit ${visit.name}): run npm run cost -- --measure`);
      total.invocations += step.invocations * visit.perMonth;
      total.gbSeconds += step.gbSeconds * visit.perMonth;
      total.httpRequests += step.httpRequests * visit.perMonth;
      total.webSocketMessages += step.webSocketMessages * visit.perMonth;
      total.readUnits += step.readUnits * visit.perMonth;
      total.writeUnits += step.writeUnits * visit.perMonth;
      total.logBytes +=
        (step.logBytes +
          step.invocations * overheads.platformBytesPerInvocation +
          (step.httpRequests + step.webSocketMessages) * overheads.accessLogBytesPerRequest) *
        visit.perMonth;
      for (const file of step.functions) touched.add(file);
    }
    const cold = visit.perMonth * visit.coldShare;
    total.coldStarts += touched.size * cold;
    for (const file of touched) total.initGbSeconds += (measured.initGbSeconds[file] ?? 0) * cold;
  }
  return total;
}

export function monthlyBill(
  measured: MeasuredUsage,
  profile: Profile,
  fixed: Fixed,
  overheads: LogOverheads,
  prices: RegionPrices,
): Bill {
  const usage = monthlyUsage(measured, profile, overheads);
  const lines: BillLine[] = [];
  const line = (
    service: string,
    item: string,
    quantity: number,
    unit: string,
    unitPrice: number,
    tier?: { amount: number; always: boolean },
  ) => {
    const freeQuantity = tier ? Math.min(quantity, tier.amount) : 0;
    lines.push({
      service,
      item,
      quantity,
      unit,
      cost: quantity * unitPrice,
      ...(tier ? { free: { quantity: freeQuantity, value: freeQuantity * unitPrice, always: tier.always } } : {}),
    });
  };
  const million = 1e6;
  const logsGb = usage.logBytes / gb;
  line('Lambda', 'requests', usage.invocations, 'invocations', prices.lambda.perMillionRequests / million);
  line('Lambda', 'duration (handlers)', usage.gbSeconds, 'GB-s', prices.lambda.perGbSecondArm);
  line('Lambda', 'duration (cold-start init)', usage.initGbSeconds, 'GB-s', prices.lambda.perGbSecondArm);
  line(
    'API Gateway',
    'HTTP API requests',
    usage.httpRequests,
    'requests',
    prices.httpApi.perMillionRequests / million,
    freeTier.httpApiRequests,
  );
  line(
    'API Gateway',
    'WebSocket messages',
    usage.webSocketMessages,
    'messages',
    prices.webSocket.perMillionMessages / million,
    freeTier.webSocketMessages,
  );
  line(
    'API Gateway',
    'WebSocket connection minutes',
    profile.connectionMinutes,
    'minutes',
    prices.webSocket.perMillionConnectionMinutes / million,
    freeTier.webSocketConnectionMinutes,
  );
  line('DynamoDB', 'write request units', usage.writeUnits, 'WRU', prices.dynamodb.perMillionWriteUnits / million);
  line('DynamoDB', 'read request units', usage.readUnits, 'RRU', prices.dynamodb.perMillionReadUnits / million);
  line(
    'DynamoDB',
    'storage',
    profile.dynamodbStoredGb,
    'GB-month',
    prices.dynamodb.perGbMonth,
    freeTier.dynamodbStorageGb,
  );
  line('SES', 'e-mails', profile.emails, 'e-mails', prices.ses.perThousandEmails / 1000, freeTier.sesEmails);
  line('S3', 'PUT/POST requests', profile.s3.puts, 'requests', prices.s3.perThousandPuts / 1000, freeTier.s3Puts);
  line('S3', 'GET/HEAD requests', profile.s3.gets, 'requests', prices.s3.perThousandGets / 1000, freeTier.s3Gets);
  line('S3', 'storage', profile.s3.storedGb, 'GB-month', prices.s3.perGbMonth, freeTier.s3StorageGb);
  line('CloudWatch', 'logs ingested', logsGb, 'GB', prices.logs.perGbIngested, freeTier.logsGb);
  line(
    'CloudWatch',
    'logs stored',
    logsGb * profile.logsStoredGbPerGbIngested,
    'GB-month',
    prices.logs.perGbMonthStored,
  );
  line(
    'CloudWatch',
    'custom metrics',
    profile.customMetrics,
    'metrics',
    prices.cloudwatch.perMetricMonth,
    freeTier.cloudwatchMetrics,
  );
  line('CloudWatch', 'alarms', fixed.alarms, 'alarms', prices.cloudwatch.perAlarmMonth, freeTier.cloudwatchAlarms);
  line(
    'CloudWatch',
    'dashboards',
    fixed.dashboards,
    'dashboards',
    prices.cloudwatch.perDashboardMonth,
    freeTier.cloudwatchDashboards,
  );
  line('Secrets Manager', 'secrets', fixed.secrets, 'secrets', prices.secretsManager.perSecretMonth);
  // Active tracing on every function, and no trace header from an HTTP API: each invocation (authorizers included)
  // starts a trace of its own, and at help-desk rates the default sampling (1 a second, then 5 %) keeps nearly all.
  line('X-Ray', 'traces', usage.invocations, 'traces', prices.xray.perMillionTraces / million, freeTier.xrayTraces);
  // Lambda's free tier covers requests and duration together (handlers and init alike).
  spreadFree(lines, ['requests'], freeTier.lambdaRequests, 'Lambda');
  spreadFree(lines, ['duration (handlers)', 'duration (cold-start init)'], freeTier.lambdaGbSeconds, 'Lambda');
  // CloudWatch's 5 GB are ingestion and storage together; ingestion is the larger line, so it takes the tier.
  const total = sum(lines.map((l) => l.cost));
  const freeAlways = sum(lines.map((l) => (l.free?.always ? l.free.value : 0)));
  const freeAll = sum(lines.map((l) => l.free?.value ?? 0));
  return {
    profile: profile.name,
    region: prices.region,
    lines,
    total,
    afterAlwaysFree: total - freeAlways,
    afterAllFree: total - freeAll,
  };
}

/** One free allowance shared by several lines of a service, used up in the order given. */
function spreadFree(lines: BillLine[], items: string[], tier: { amount: number; always: boolean }, service: string) {
  let left = tier.amount;
  for (const item of items) {
    const target = lines.find((l) => l.service === service && l.item === item);
    if (!target) continue;
    const quantity = Math.min(left, target.quantity);
    left -= quantity;
    const unitPrice = target.quantity > 0 ? target.cost / target.quantity : 0;
    target.free = { quantity, value: quantity * unitPrice, always: tier.always };
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
