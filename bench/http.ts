// HTTP latency through the local gateway, route by route, beside the same DynamoDB operations issued
// directly; and the DynamoDB round trips each request made, as the proxy saw them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  describeOperation,
  describeOperations,
  type FaultProxy,
  isPrincipalCheck,
  type Operation,
} from './fault-proxy.js';
import { planReplay, replay } from './replay.js';
import { ratio, type Summary, summarize } from './stats.js';

export interface RouteResult {
  route: string;
  gateway: Summary;
  /** The same operations, sent from this process through the same proxy hop. */
  direct?: Summary;
  /** gateway p50 / direct p50. */
  ratio?: number;
  roundTrips: {
    median: number;
    max: number;
    /** The most frequent mix, e.g. `GetItem×1, TransactWriteItems×1`. */
    typical: string;
    /** Principal checks among them (isPrincipalCheck), most in one request. */
    principalChecks: number;
    /** Round trips that started after the response was sent (work a request leaves behind). */
    afterResponse: number;
    /** The last request's round trips, one line each. */
    example: string[];
  };
  scans: number;
  /** Why there is no direct figure, when there is none. */
  note?: string;
}

export interface RouteCase {
  route: string;
  /** One request; it must fail loudly (throw) on an unexpected status. */
  send(run: number): Promise<void>;
  /** Skip the direct comparison (login: its cost is the password hash, not DynamoDB). */
  directNote?: string;
}

const settle = async (proxy: FaultProxy) => {
  // Work a handler leaves in flight after answering (none expected) is counted, not mixed into the next run.
  for (let i = 0; i < 50 && proxy.inFlight() > 0; i++) await new Promise((r) => setTimeout(r, 2));
};

export async function benchRoute(
  proxy: FaultProxy,
  test: RouteCase,
  options: { runs: number; warmup: number },
): Promise<RouteResult> {
  const client = new DynamoDBClient({ endpoint: proxy.url, maxAttempts: 1 });
  const gateway: number[] = [];
  const direct: number[] = [];
  const perRequest: Operation[][] = [];
  let afterResponse = 0;
  let note = test.directNote;
  try {
    for (let run = 0; run < options.warmup + options.runs; run++) {
      const measured = run >= options.warmup;
      const mark = proxy.mark();
      const wallFrom = Date.now();
      const started = performance.now();
      await test.send(run);
      const answered = performance.now();
      const wallTo = Date.now();
      await settle(proxy);
      const operations = proxy.since(mark);
      if (!measured) continue;
      gateway.push(answered - started);
      perRequest.push(operations);
      afterResponse += operations.filter((o) => o.start > answered).length;

      if (note) continue;
      const plan = planReplay(operations, wallFrom - 5, wallTo + 5);
      const replayStarted = performance.now();
      try {
        await replay(client, plan);
        direct.push(performance.now() - replayStarted);
      } catch (error) {
        note = `direct replay failed: ${(error as Error).name}: ${(error as Error).message}`;
      }
      await settle(proxy);
    }
  } finally {
    client.destroy();
  }

  const counts = perRequest.map((ops) => ops.length);
  const mixes = new Map<string, number>();
  for (const ops of perRequest) {
    const mix = describeOperations(ops);
    mixes.set(mix, (mixes.get(mix) ?? 0) + 1);
  }
  const typical = [...mixes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
  const gatewaySummary = summarize(gateway);
  const directSummary = direct.length === gateway.length ? summarize(direct) : undefined;
  return {
    route: test.route,
    gateway: gatewaySummary,
    ...(directSummary ? { direct: directSummary, ratio: ratio(gatewaySummary, directSummary) } : {}),
    roundTrips: {
      median: summarize(counts).median,
      max: Math.max(...counts),
      principalChecks: Math.max(...perRequest.map((ops) => ops.filter(isPrincipalCheck).length)),
      typical,
      afterResponse,
      example: (perRequest[perRequest.length - 1] ?? []).map(describeOperation),
    },
    scans: perRequest.flat().filter((o) => o.name === 'Scan').length,
    ...(note ? { note } : {}),
  };
}
