// What auditors and operators read: saved Logs Insights queries over the request log (one JSON line per
// request, shared/observability/logger.ts) and the APIs' access logs, alarms that page someone, and one
// dashboard.
import { Duration, Stack } from 'aws-cdk-lib';
import { CfnStage, type HttpApi, type WebSocketApi, type WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  LogQueryWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import {
  FilterPattern,
  type ILogGroup,
  LogGroup,
  MetricFilter,
  QueryDefinition,
  QueryString,
} from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { limitNames } from '../../shared/domain/limits.js';
import { channels } from '../../shared/domain/tickets.js';
import { metricNames, metricService } from '../../shared/observability/metrics.js';
import { accessChangeActions, dataRequestActions, signInRoutes } from '../local/audit/query.js';
import { type AppFunction, constructIdFor } from './function.js';
import type { DeadLetters } from './jobs.js';

/** Log messages written by shared code when something the user did not see failed (docs/architecture.md, "Nothing is lost"). */
export const failureMessages = { fanout: 'fanout failed', mail: 'mail send failed' } as const;

/** CloudWatch alarms on metric math take at most 10 metrics. */
const metricsPerAlarm = 10;
/** Refusals by Atende's own limits in 5 minutes that mean a flood rather than a person mistyping. */
const refusedPerPeriodForFlood = 500;
const period = Duration.minutes(5);

const requestFields = [
  '@timestamp',
  'route',
  'status',
  'outcome',
  'action',
  'resource.type',
  'resource.id',
  'principal.userId',
  'principal.role',
  'errorCode',
  'sourceIp',
  'requestId',
];

/** Fields of the APIs' access-log lines (infra/constructs/api.ts) that say why API Gateway refused a request. */
const accessFields = ['routeKey', 'eventType', 'connectionId', 'error', 'authorizerError', '@log'];

/**
 * Requests API Gateway answered by itself, before any function ran (a WebSocket `$connect` without its
 * `ticket`, a body over 10 MB, throttling): in the access logs only, where an integration that never ran
 * is logged as "-".
 */
export const gatewayRefusals = 'ispresent(integrationLatency) and integrationLatency = "-" and status like /^[45]/';

/**
 * The auditor's questions (issue 7): each saved query edits its placeholders, written in capitals. A query
 * with `accessLogs` also reads the APIs' access logs.
 */
export const auditQueries = [
  {
    // As `npm run audit -- --user`: what the person did, and every sign-in attempt on their account's e-mail
    // (lower-cased), failures and lockouts included, which name no user.
    id: 'UserActivity',
    name: 'Everything a user did',
    filters: [
      'kind = "request"',
      'principal.userId = "USER_ID" or (resource.type = "user" and resource.id = "USER_ID") or ' +
        '(resource.type = "account" and resource.id = "USER_EMAIL")',
    ],
  },
  {
    id: 'TicketAccess',
    name: 'Every access to a ticket',
    filters: ['kind = "request"', 'resource.type = "ticket"', 'resource.id = "TICKET_ID"'],
  },
  {
    id: 'FailedAndDenied',
    name: 'Failed and denied requests',
    filters: [`(kind = "request" and outcome in ["denied", "invalid", "error"]) or (${gatewayRefusals})`],
    accessLogs: true,
  },
  {
    id: 'Logins',
    name: 'Logins',
    filters: ['kind = "request"', `route in [${signInRoutes.map((route) => `"${route}"`).join(', ')}]`],
  },
  {
    id: 'Lockouts',
    name: 'Lockouts (sign-ins refused for too many attempts)',
    filters: ['kind = "request"', 'route = "POST /auth/login"', 'status = 429'],
  },
  {
    // As `npm run audit -- --access-changes`: who (principal) gave or took access to whom (resource).
    id: 'AccessChanges',
    name: 'Access changes',
    filters: ['kind = "request"', `action in [${accessChangeActions.map((action) => `"${action}"`).join(', ')}]`],
  },
  {
    // As `npm run audit -- --data-requests`: who (principal) exported or erased whose data (resource).
    id: 'DataRequests',
    name: 'Data requests',
    filters: ['kind = "request"', `action in [${dataRequestActions.map((action) => `"${action}"`).join(', ')}]`],
  },
] as const;

export interface ObservabilityProps {
  stage: string;
  functions: readonly AppFunction[];
  http: HttpApi;
  realtime?: { api: WebSocketApi; stage: WebSocketStage };
  table: Table;
  /** The scheduled jobs' dead-letter queues (jobs.ts): a message there is a run that never happened or failed. */
  deadLetters: readonly DeadLetters[];
  /** Receives alarm notifications (context `alarmEmail`). */
  alarmEmail?: string;
}

/**
 * The log groups the stages of these APIs write their access logs to, found through what each stage
 * declares (the Api construct creates them and keeps them to itself).
 */
function accessLogGroups(scope: Construct, apiIds: readonly string[]): ILogGroup[] {
  const constructs = Stack.of(scope).node.findAll();
  const destinations = new Set(
    constructs.flatMap((construct) =>
      construct instanceof CfnStage && apiIds.includes(construct.apiId)
        ? [(construct.accessLogSettings as CfnStage.AccessLogSettingsProperty | undefined)?.destinationArn]
        : [],
    ),
  );
  return constructs.filter(
    (construct): construct is LogGroup => construct instanceof LogGroup && destinations.has(construct.logGroupArn),
  );
}

/** The log groups the functions write to, each once (they share the request log group). */
function logGroupsOf(functions: readonly AppFunction[]): ILogGroup[] {
  return [...new Set(functions.map((fn) => fn.logGroup))];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly alarmTopic: Topic;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.namespace = `Atende/${props.stage}`;
    const requestLogs = logGroupsOf(props.functions);
    const accessLogs = accessLogGroups(this, [props.http.apiId, ...(props.realtime ? [props.realtime.api.apiId] : [])]);

    for (const query of auditQueries) {
      const withAccessLogs = 'accessLogs' in query && query.accessLogs;
      new QueryDefinition(this, query.id, {
        queryDefinitionName: `Atende-${props.stage}/${query.name}`,
        queryString: new QueryString({
          fields: withAccessLogs ? [...requestFields, ...accessFields] : requestFields,
          filterStatements: [...query.filters],
          sort: '@timestamp desc',
          limit: 1000,
        }),
        logGroups: withAccessLogs ? [...requestLogs, ...accessLogs] : requestLogs,
      });
    }

    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `Atende ${props.stage} alarms`, enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    // HTTP 5xx rate, ignoring quiet periods where two errors would already be a high percentage.
    const requests = props.http.metricCount({ period, statistic: 'Sum' });
    const serverErrors = props.http.metricServerError({ period, statistic: 'Sum' });
    const serverErrorRate = new MathExpression({
      expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'HTTP 5xx (% of requests)',
      period,
    });
    this.alarm('Http5xxRate', serverErrorRate, 5, 'More than 5% of HTTP API requests answered 5xx (a 500 is a bug).');

    const functionMetric = (metricName: string) =>
      chunk(props.functions, metricsPerAlarm).map((group, index) => ({
        index,
        names: group.map((fn) => fn.spec.description),
        expression: new MathExpression({
          expression: 'SUM(METRICS())',
          usingMetrics: Object.fromEntries(
            // Ids are unique per graph, which shows every group of both kinds.
            group.map((fn, i) => [
              `${metricName.toLowerCase()}${index}_${i}`,
              fn.function.metric(metricName, { period, statistic: 'Sum' }),
            ]),
          ),
          label: `Lambda ${metricName}${index ? ` (${index + 1})` : ''}`,
          period,
        }),
      }));
    const lambdaErrors = functionMetric('Errors');
    const lambdaThrottles = functionMetric('Throttles');
    for (const group of lambdaErrors) {
      this.alarm(
        `LambdaErrors${group.index + 1}`,
        group.expression,
        1,
        `Unhandled errors in ${group.names.join(', ')}.`,
      );
    }
    for (const group of lambdaThrottles) {
      this.alarm(
        `LambdaThrottles${group.index + 1}`,
        group.expression,
        1,
        `Throttled invocations (account concurrency exhausted) in ${group.names.join(', ')}.`,
      );
    }

    const tableThrottles = new MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { period, statistic: 'Sum' }),
        writes: props.table.metric('WriteThrottleEvents', { period, statistic: 'Sum' }),
      },
      label: 'DynamoDB throttle events',
      period,
    });
    this.alarm(
      'TableThrottles',
      tableThrottles,
      1,
      'DynamoDB throttled reads or writes (callers got 503 after retries).',
    );

    const fanoutFailures = this.logMetric(
      'FanoutFailures',
      failureMessages.fanout,
      props.functions.filter((fn) => fn.spec.access.connections),
    );
    this.alarm('FanoutFailures', fanoutFailures, 5, 'Pushing to WebSocket connections failed (not just gone ones).');
    const mailFailures = this.logMetric(
      'MailSendFailures',
      failureMessages.mail,
      props.functions.filter((fn) => fn.spec.access.mail),
    );
    this.alarm('MailSendFailures', mailFailures, 1, 'SES refused or failed to send an e-mail (the outbox retries it).');
    for (const { job, queue } of props.deadLetters) {
      this.alarm(
        `${constructIdFor(job)}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        1,
        `A run of the scheduled job ${job} could not be delivered or failed after its retries (see its dead-letter queue).`,
      );
    }

    const refusals = this.refusals();
    this.alarm(
      'RateLimitedFlood',
      refusals.total,
      refusedPerPeriodForFlood,
      `More than ${refusedPerPeriodForFlood} requests in 5 minutes refused by Atende's limits (a flood: see the warnings "rate limited" for the limit and source).`,
    );
    this.alarm(
      'SlaBreaches',
      new Metric({
        namespace: this.namespace,
        metricName: metricNames.slaBreached,
        dimensionsMap: { service: metricService, target: 'first_response' },
        period,
        statistic: 'Sum',
      }),
      1,
      'A ticket missed its SLA first-response target (the sla job recorded sla_breached).',
    );
    this.alarm(
      'SlaResolutionBreaches',
      new Metric({
        namespace: this.namespace,
        metricName: metricNames.slaBreached,
        dimensionsMap: { service: metricService, target: 'resolution' },
        period,
        statistic: 'Sum',
      }),
      1,
      'A ticket missed its SLA resolution target (the sla job recorded sla_breached).',
    );

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `Atende-${props.stage}` });
    dashboard.addWidgets(
      new GraphWidget({
        title: 'HTTP API requests',
        left: [requests, props.http.metricClientError({ period, statistic: 'Sum' }), serverErrors],
        width: 12,
      }),
      new GraphWidget({
        title: 'HTTP API latency (ms)',
        left: ['p50', 'p95', 'p99'].map((statistic) => props.http.metricLatency({ period, statistic })),
        width: 12,
      }),
    );
    if (props.realtime) {
      const { api, stage } = props.realtime;
      const realtimeMetric = (metricName: string) =>
        new Metric({
          namespace: 'AWS/ApiGateway',
          metricName,
          dimensionsMap: { ApiId: api.apiId, Stage: stage.stageName },
          period,
          statistic: 'Sum',
        });
      dashboard.addWidgets(
        new GraphWidget({
          title: 'WebSocket traffic',
          left: ['ConnectCount', 'MessageCount'].map(realtimeMetric),
          width: 12,
        }),
        new GraphWidget({
          title: 'WebSocket errors',
          left: ['ClientError', 'ExecutionError', 'IntegrationError'].map(realtimeMetric),
          width: 12,
        }),
      );
    }
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors and throttles',
        left: [...lambdaErrors, ...lambdaThrottles].map((group) => group.expression),
        width: 12,
      }),
      new GraphWidget({
        title: 'Failures users did not see',
        left: [fanoutFailures, mailFailures, tableThrottles],
        width: 12,
      }),
    );
    dashboard.addWidgets(...this.businessWidgets(), refusals.widget);
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
      new LogQueryWidget({
        title: 'Latest failed and denied requests',
        logGroupNames: requestLogs.map((group) => group.logGroupName),
        queryLines: [
          `fields ${requestFields.join(', ')}`,
          'filter kind = "request" and outcome != "success"',
          'sort @timestamp desc',
          'limit 50',
        ],
        width: 24,
        height: 8,
      }),
    );
  }

  /** What the functions publish themselves (shared/observability/metrics.ts, embedded metric format). */
  private businessWidgets(): GraphWidget[] {
    const business = (metricName: string, statistic: string, channel?: string) =>
      new Metric({
        namespace: this.namespace,
        metricName,
        dimensionsMap: { service: metricService, ...(channel ? { channel } : {}) },
        period,
        statistic,
        label: [metricName, channel, statistic === 'Sum' ? '' : statistic].filter(Boolean).join(' '),
      });
    return [
      new GraphWidget({
        title: 'Tickets opened and messages',
        left: channels.map((channel) => business(metricNames.ticketCreated, 'Sum', channel)),
        right: channels.map((channel) => business(metricNames.messagePosted, 'Sum', channel)),
        width: 8,
      }),
      new GraphWidget({
        title: 'First response time (ms)',
        left: channels.flatMap((channel) =>
          ['p50', 'p90'].map((statistic) => business(metricNames.firstResponseMs, statistic, channel)),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Invitations e-mailed',
        left: [business(metricNames.invitationSent, 'Sum'), business(metricNames.invitationFailed, 'Sum')],
        width: 8,
      }),
    ];
  }

  /** The RateLimited metric of each limit (shared/limits/limiter.ts), their sum, and a graph of them. */
  private refusals(): { total: MathExpression; widget: GraphWidget } {
    const byLimit = limitNames.map(
      (limit) =>
        new Metric({
          namespace: this.namespace,
          metricName: metricNames.rateLimited,
          dimensionsMap: { service: metricService, limit },
          period,
          statistic: 'Sum',
          label: limit,
        }),
    );
    const total = new MathExpression({
      expression: 'SUM(METRICS())',
      usingMetrics: Object.fromEntries(byLimit.map((metric, i) => [`limited${i}`, metric])),
      label: 'Refused by limits',
      period,
    });
    return { total, widget: new GraphWidget({ title: 'Refused by limits', left: byLimit, width: 24 }) };
  }

  /**
   * Counts log lines whose Powertools `message` is `message`, across the log groups of the given functions
   * (the shared request log: only code that publishes or sends writes these messages).
   */
  private logMetric(metricName: string, message: string, functions: readonly AppFunction[]): IMetric {
    for (const logGroup of logGroupsOf(functions)) {
      new MetricFilter(this, `${metricName}${constructIdFor(logGroup.node.path)}`, {
        logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', message),
        metricNamespace: this.namespace,
        metricName,
        metricValue: '1',
        defaultValue: 0,
      });
    }
    return new Metric({ namespace: this.namespace, metricName, period, statistic: 'Sum' });
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}
