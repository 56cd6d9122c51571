// The price table `npm run cost` multiplies measured usage by: on-demand list prices, first tier only (every
// profile here stays far below the first volume break: 300 million HTTP API calls, 1 billion WebSocket messages).
// Prices change; each region carries the date they were read and where, and whether that reading was checked
// against the page. Update a figure by editing it here with its date: the cost tests pin the arithmetic, not the
// prices.

export interface RegionPrices {
  region: string;
  /** When these prices were read (YYYY-MM), and whether every figure was checked against the source pages then. */
  asOf: string;
  checked: boolean;
  note: string;
  lambda: { perMillionRequests: number; perGbSecondArm: number };
  httpApi: { perMillionRequests: number };
  webSocket: { perMillionMessages: number; perMillionConnectionMinutes: number };
  dynamodb: { perMillionWriteUnits: number; perMillionReadUnits: number; perGbMonth: number };
  ses: { perThousandEmails: number };
  s3: { perGbMonth: number; perThousandPuts: number; perThousandGets: number };
  logs: { perGbIngested: number; perGbMonthStored: number };
  /** Custom metrics, standard alarms, dashboards. */
  cloudwatch: { perMetricMonth: number; perAlarmMonth: number; perDashboardMonth: number };
  secretsManager: { perSecretMonth: number };
  xray: { perMillionTraces: number };
}

/** Where each price is published (one page per service; pick the region on the page). */
export const priceSources = {
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  httpApi: 'https://aws.amazon.com/api-gateway/pricing/',
  webSocket: 'https://aws.amazon.com/api-gateway/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  ses: 'https://aws.amazon.com/ses/pricing/',
  s3: 'https://aws.amazon.com/s3/pricing/',
  logs: 'https://aws.amazon.com/cloudwatch/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
  xray: 'https://aws.amazon.com/xray/pricing/',
} as const satisfies Record<Exclude<keyof RegionPrices, 'region' | 'asOf' | 'checked' | 'note'>, string>;

export const prices: readonly RegionPrices[] = [
  {
    region: 'us-east-1',
    asOf: '2026-12',
    checked: true,
    note: "every figure matched in December 2026 against readings of AWS's price list (the pricing pages fill their tables by script, so the readings are third-party copies of the list, dated 2025-10 to 2026-09) and AWS's own examples; SES is the pay-per-use rate of accounts sending since mid-2025 (new accounts from 2026-07 default to a plan at $0.16 per 1,000)",
    lambda: { perMillionRequests: 0.2, perGbSecondArm: 0.0000133334 },
    httpApi: { perMillionRequests: 1.0 },
    webSocket: { perMillionMessages: 1.0, perMillionConnectionMinutes: 0.25 },
    dynamodb: { perMillionWriteUnits: 0.625, perMillionReadUnits: 0.125, perGbMonth: 0.25 },
    ses: { perThousandEmails: 0.1 },
    s3: { perGbMonth: 0.023, perThousandPuts: 0.005, perThousandGets: 0.0004 },
    logs: { perGbIngested: 0.5, perGbMonthStored: 0.03 },
    cloudwatch: { perMetricMonth: 0.3, perAlarmMonth: 0.1, perDashboardMonth: 3.0 },
    secretsManager: { perSecretMonth: 0.4 },
    xray: { perMillionTraces: 5.0 },
  },
  {
    region: 'sa-east-1',
    asOf: '2026-12',
    checked: false,
    note: "partly checked in December 2026 against readings of AWS's sa-east-1 price list (dated 2026-09/10): Lambda requests, HTTP API, S3 and CloudWatch Logs match; the WebSocket, DynamoDB, SES, CloudWatch metric/alarm, Secrets Manager and X-Ray figures (and Lambda's Arm rate, which its x86 rate suggests is us-east-1's) are still recalled, not read. Check them on the source pages before quoting a São Paulo bill",
    lambda: { perMillionRequests: 0.2, perGbSecondArm: 0.0000133334 },
    httpApi: { perMillionRequests: 1.59 },
    webSocket: { perMillionMessages: 1.5, perMillionConnectionMinutes: 0.38 },
    dynamodb: { perMillionWriteUnits: 0.9375, perMillionReadUnits: 0.1875, perGbMonth: 0.375 },
    ses: { perThousandEmails: 0.1 },
    s3: { perGbMonth: 0.0405, perThousandPuts: 0.007, perThousandGets: 0.00056 },
    logs: { perGbIngested: 0.9, perGbMonthStored: 0.0408 },
    cloudwatch: { perMetricMonth: 0.4, perAlarmMonth: 0.15, perDashboardMonth: 3.0 },
    secretsManager: { perSecretMonth: 0.4 },
    xray: { perMillionTraces: 5.0 },
  },
];

/**
 * What AWS gives every account each month. `always`: the always-free tier; `firstYear`: only during the 12 months
 * after the account was opened (and, for accounts opened since July 2025, replaced by credits). Shown apart from
 * the bill, never subtracted silently.
 */
export const freeTier = {
  lambdaRequests: { amount: 1_000_000, always: true },
  lambdaGbSeconds: { amount: 400_000, always: true },
  httpApiRequests: { amount: 1_000_000, always: false },
  webSocketMessages: { amount: 1_000_000, always: false },
  webSocketConnectionMinutes: { amount: 750_000, always: false },
  dynamodbStorageGb: { amount: 25, always: true },
  sesEmails: { amount: 3_000, always: false },
  s3StorageGb: { amount: 5, always: false },
  s3Puts: { amount: 2_000, always: false },
  s3Gets: { amount: 20_000, always: false },
  logsGb: { amount: 5, always: true },
  cloudwatchMetrics: { amount: 10, always: true },
  cloudwatchAlarms: { amount: 10, always: true },
  cloudwatchDashboards: { amount: 3, always: true },
  xrayTraces: { amount: 100_000, always: true },
} as const;
