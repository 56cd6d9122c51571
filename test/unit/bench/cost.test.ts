import { describe, expect, it } from 'vitest';
import { type MeasuredUsage, monthlyBill, monthlyUsage, type Profile, type StepUsage } from '../../../bench/cost.js';
import type { RegionPrices } from '../../../bench/prices.js';
import { profiles } from '../../../bench/profiles.js';

const step = (usage: Partial<StepUsage>): StepUsage => ({
  invocations: 0,
  gbSeconds: 0,
  functions: [],
  httpRequests: 0,
  webSocketMessages: 0,
  readUnits: 0,
  writeUnits: 0,
  logBytes: 0,
  ...usage,
});

const measured: MeasuredUsage = {
  steps: {
    list: step({
      invocations: 2,
      gbSeconds: 0.01,
      functions: ['auth.ts', 'list.ts'],
      httpRequests: 1,
      readUnits: 1.5,
      logBytes: 500,
    }),
    reply: step({
      invocations: 2,
      gbSeconds: 0.02,
      functions: ['auth.ts', 'reply.ts'],
      httpRequests: 1,
      writeUnits: 10,
      readUnits: 1,
    }),
    ping: step({ invocations: 1, gbSeconds: 0.001, functions: ['ping.ts'], webSocketMessages: 2 }),
  },
  initGbSeconds: { 'auth.ts': 0.02, 'list.ts': 0.03, 'reply.ts': 0.04, 'ping.ts': 0.01 },
};

const none: Profile = {
  name: 'test',
  description: 'test',
  visits: [],
  connectionMinutes: 0,
  emails: 0,
  s3: { puts: 0, gets: 0, storedGb: 0 },
  dynamodbStoredGb: 0,
  customMetrics: 0,
  logsStoredGbPerGbIngested: 0,
};

const overheads = { platformBytesPerInvocation: 100, accessLogBytesPerRequest: 200 };

// Round numbers, so every expectation below can be checked by hand.
const unitPrices: RegionPrices = {
  region: 'test-1',
  asOf: '2026-01',
  checked: true,
  note: '',
  lambda: { perMillionRequests: 1, perGbSecondArm: 0.001 },
  httpApi: { perMillionRequests: 2 },
  webSocket: { perMillionMessages: 3, perMillionConnectionMinutes: 4 },
  dynamodb: { perMillionWriteUnits: 5, perMillionReadUnits: 6, perGbMonth: 7 },
  ses: { perThousandEmails: 8 },
  s3: { perGbMonth: 9, perThousandPuts: 10, perThousandGets: 11 },
  logs: { perGbIngested: 12, perGbMonthStored: 13 },
  cloudwatch: { perMetricMonth: 14, perAlarmMonth: 15, perDashboardMonth: 16 },
  secretsManager: { perSecretMonth: 17 },
  xray: { perMillionTraces: 18 },
};

const costOf = (bill: ReturnType<typeof monthlyBill>, item: string) => bill.lines.find((l) => l.item === item)?.cost;

describe('monthly usage of a profile', () => {
  it('multiplies each step of a visit by the visits a month and adds the log lines around the functions', () => {
    const usage = monthlyUsage(
      measured,
      { ...none, visits: [{ name: 'v', steps: ['list', 'reply'], perMonth: 1000, coldShare: 0 }] },
      overheads,
    );
    expect(usage.invocations).toBe(4000);
    expect(usage.httpRequests).toBe(2000);
    expect(usage.readUnits).toBe(2500);
    expect(usage.writeUnits).toBe(10_000);
    expect(usage.gbSeconds).toBeCloseTo(30);
    // 500 B of function output + 4 invocations × 100 B + 2 requests × 200 B, a thousand times.
    expect(usage.logBytes).toBe(1_300_000);
    expect(usage.coldStarts).toBe(0);
  });

  it('counts one cold start per distinct function a cold visit touches, the shared authorizer once', () => {
    const usage = monthlyUsage(
      measured,
      { ...none, visits: [{ name: 'v', steps: ['list', 'reply', 'list'], perMonth: 100, coldShare: 0.5 }] },
      overheads,
    );
    expect(usage.coldStarts).toBe(3 * 50);
    expect(usage.initGbSeconds).toBeCloseTo((0.02 + 0.03 + 0.04) * 50);
  });

  it('refuses a profile with a step that was never measured, rather than pricing it at zero', () => {
    expect(() =>
      monthlyUsage(
        measured,
        { ...none, visits: [{ name: 'v', steps: ['take'], perMonth: 1, coldShare: 0 }] },
        overheads,
      ),
    ).toThrow(/no measurement for step "take"/);
  });
});

describe('monthly bill', () => {
  it('prices every unit at list price and totals it', () => {
    const bill = monthlyBill(
      measured,
      {
        ...none,
        visits: [{ name: 'v', steps: ['ping'], perMonth: 2_000_000, coldShare: 0 }],
        connectionMinutes: 1_000_000,
        emails: 1000,
        s3: { puts: 1000, gets: 1000, storedGb: 1 },
        dynamodbStoredGb: 1,
        customMetrics: 1,
      },
      { alarms: 1, dashboards: 1, secrets: 1 },
      { platformBytesPerInvocation: 0, accessLogBytesPerRequest: 0 },
      unitPrices,
    );
    expect(costOf(bill, 'requests')).toBeCloseTo(2);
    expect(costOf(bill, 'duration (handlers)')).toBeCloseTo(2);
    expect(costOf(bill, 'WebSocket messages')).toBeCloseTo(12);
    expect(costOf(bill, 'WebSocket connection minutes')).toBeCloseTo(4);
    expect(costOf(bill, 'e-mails')).toBeCloseTo(8);
    expect(costOf(bill, 'PUT/POST requests')).toBeCloseTo(10);
    expect(costOf(bill, 'GET/HEAD requests')).toBeCloseTo(11);
    expect(costOf(bill, 'secrets')).toBeCloseTo(17);
    // Every invocation starts a trace of its own.
    expect(costOf(bill, 'traces')).toBeCloseTo(36);
    expect(bill.total).toBeCloseTo(2 + 2 + 12 + 4 + 7 + 8 + 10 + 11 + 9 + 14 + 15 + 16 + 17 + 36);
  });

  it('shows the free tier apart: the always-free part for every account, the first-year part only in the first year', () => {
    const bill = monthlyBill(
      measured,
      { ...none, visits: [{ name: 'v', steps: ['list'], perMonth: 1_500_000, coldShare: 0 }], emails: 1000 },
      { alarms: 0, dashboards: 0, secrets: 0 },
      { platformBytesPerInvocation: 0, accessLogBytesPerRequest: 0 },
      unitPrices,
    );
    const requests = bill.lines.find((l) => l.item === 'requests');
    // 3 million invocations, one million always free.
    expect(requests?.cost).toBeCloseTo(3);
    expect(requests?.free).toEqual({ quantity: 1_000_000, value: 1, always: true });
    const http = bill.lines.find((l) => l.item === 'HTTP API requests');
    expect(http?.free).toEqual({ quantity: 1_000_000, value: 2, always: false });
    const emails = bill.lines.find((l) => l.item === 'e-mails');
    expect(emails?.free?.quantity).toBe(1000);
    expect(bill.afterAlwaysFree).toBeLessThan(bill.total);
    expect(bill.afterAllFree).toBeCloseTo(bill.afterAlwaysFree - 2 - 8);
  });

  it('lets one free allowance of Lambda duration cover handlers first, then cold-start init', () => {
    const bill = monthlyBill(
      { steps: { list: step({ gbSeconds: 0.3, functions: ['list.ts'] }) }, initGbSeconds: { 'list.ts': 0.2 } },
      { ...none, visits: [{ name: 'v', steps: ['list'], perMonth: 1_000_000, coldShare: 1 }] },
      { alarms: 0, dashboards: 0, secrets: 0 },
      overheads,
      unitPrices,
    );
    const handlers = bill.lines.find((l) => l.item === 'duration (handlers)');
    const init = bill.lines.find((l) => l.item === 'duration (cold-start init)');
    expect(handlers?.free?.quantity).toBeCloseTo(300_000);
    expect(init?.free?.quantity).toBeCloseTo(100_000);
    expect(init?.cost).toBeCloseTo(200);
  });
});

describe('the stated profiles', () => {
  it('are idle, small and large, and idle makes no visit but the scheduled jobs, each as often as it runs', () => {
    expect(profiles.map((p) => p.name)).toEqual(['idle', 'small', 'large']);
    const idle = profiles[0];
    expect(idle?.visits.map((v) => [v.name, v.perMonth])).toEqual([
      ['scheduled outbox', 43_200],
      ['scheduled sla', 43_200],
      ['scheduled erasures', 43_200],
      ['scheduled retention', 1_440],
    ]);
    expect(idle?.emails).toBe(0);
  });

  it('send a reply notification per agent answer on a portal ticket and a rating e-mail per ticket', () => {
    const small = profiles[1];
    // 700 portal tickets × 3 answers, 1,000 resolved tickets, 12 % of 500 customers invited or resetting.
    expect(small?.emails).toBeCloseTo(700 * 3 + 1000 + 60);
  });
});
