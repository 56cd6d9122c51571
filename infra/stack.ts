// The one stack. Read top to bottom it is the whole system: data, secrets, mail, the web app, the two APIs
// with the functions serving the routes of infra/routes.ts, scheduled jobs, and what operators and auditors watch.
import { Aws, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from './constructs/api.js';
import { Bundles } from './constructs/bundles.js';
import { Data } from './constructs/data.js';
import { functionRuntime } from './constructs/function.js';
import { Jobs } from './constructs/jobs.js';
import { Mail } from './constructs/mail.js';
import { Mailbox } from './constructs/mailbox.js';
import { Observability } from './constructs/observability.js';
import { Secrets } from './constructs/secrets.js';
import { Web } from './constructs/web.js';
import { type ScheduledJob, scheduledJobs } from './routes.js';

export interface AtendeSettings {
  /** `dev`, `prod`, …: names the stack and keeps several deployments apart in one account. */
  stage: string;
  /** Sender of invitations and password resets; an SES identity. */
  mailFrom: string;
  /** The retired support address whose mail gets the automatic reply; without it the stack receives no mail. */
  supportAddress?: string;
  /** Whether this stack creates the SES identity for `mailFrom` (one per account and region). */
  createMailIdentity: boolean;
  /** Where people open the web app; links in e-mails point here. Default: the CloudFront URL. */
  webOrigin?: string;
  /** Host platforms' origins whose pages may frame the chat (`/embed`); none by default. */
  embedOrigins: string[];
  /** Receives alarm notifications. */
  alarmEmail?: string;
  /** Anonymous requests (sign-in, reset, invitation lookup) each source IP may make per 5 minutes. @default 300 */
  anonymousLimit?: number;
  /** Retention of the request log (the audit trail) in the function log groups. */
  auditRetention: RetentionDays;
  /** Retention of API Gateway access logs and S3/CloudFront access logs. */
  debugRetention: RetentionDays;
  /** Shown by GET /health. */
  version: string;
  /** Repository root: handler paths in the route table are relative to it. */
  projectRoot: string;
  /** The built web app (web/dist); without it the stack has no Web construct. */
  webAssetsDir?: string;
}

/** dev is disposable; every other stage keeps its data when the stack or a resource goes away. */
export const keepsData = (stage: string) => stage !== 'dev';

/** dev without a web origin and without a built web app (a bare `cdk synth`): links point at the local stack. */
const fallbackWebUrl = 'http://localhost:3000';

export class AtendeStack extends Stack {
  constructor(scope: Construct, id: string, settings: AtendeSettings, props?: StackProps) {
    super(scope, id, { description: `Atende (${settings.stage}): serverless customer support`, ...props });
    const keepData = keepsData(settings.stage);
    const removalPolicy = keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const data = new Data(this, 'Data', { keepData, accessLogDays: settings.debugRetention });
    const web = settings.webAssetsDir
      ? new Web(this, 'Web', {
          assetsDir: settings.webAssetsDir,
          accessLogs: data.accessLogs,
          logRetention: settings.debugRetention,
          embedOrigins: settings.embedOrigins,
        })
      : undefined;
    // The one origin browsers may call the APIs and the evidence bucket from: where people open the app.
    const webUrl = settings.webOrigin ?? web?.url ?? fallbackWebUrl;
    const webOrigins = [webUrl];
    data.allowOrigins(webOrigins);

    const secrets = new Secrets(this, 'Secrets', { keepData });
    const mail = new Mail(this, 'Mail', { mailFrom: settings.mailFrom, createIdentity: settings.createMailIdentity });

    // Every function's log lines, the request log (the audit trail) among them, in one group: see FunctionDefaults.
    const requestLog = new LogGroup(this, 'RequestLog', { retention: settings.auditRetention, removalPolicy });

    const api = new Api(this, 'Api', {
      stage: settings.stage,
      webOrigins,
      accessLogRetention: settings.debugRetention,
      removalPolicy,
      functions: {
        bundles: new Bundles(settings.projectRoot, functionRuntime),
        data,
        secrets,
        mail,
        requestLog,
        environment: {
          TABLE_NAME: data.table.tableName,
          BUCKET_NAME: data.evidence.bucketName,
          MAIL_FROM: settings.mailFrom,
          SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
          ...(settings.supportAddress ? { SUPPORT_ADDRESS: settings.supportAddress } : {}),
          WEB_URL: webUrl,
          WEB_ORIGINS: webOrigins.join(','),
          JWT_SECRET_ARN: secrets.jwt.secretArn,
          PLATFORM_SECRET_ARN: secrets.platform.secretArn,
          POWERTOOLS_SERVICE_NAME: 'atende',
          POWERTOOLS_METRICS_NAMESPACE: `Atende/${settings.stage}`,
          ATENDE_VERSION: settings.version,
          ...(settings.anonymousLimit ? { ATENDE_ANONYMOUS_LIMIT: String(settings.anonymousLimit) } : {}),
        },
      },
    });

    const jobs = new Jobs(this, 'Jobs', {
      jobs: scheduledJobs as readonly ScheduledJob[],
      functions: api.functionDefaults,
      removalPolicy,
    });

    const mailbox = new Mailbox(this, 'Mailbox', {
      mail,
      functions: api.functionDefaults,
      supportAddress: settings.supportAddress,
      accessLogs: data.accessLogs,
      removalPolicy,
      emptyOnDelete: !keepData,
    });

    const wsUrl = api.realtimeStage?.url ?? '';
    // The app's CSP names exactly the APIs and the bucket it talks to when the app has its own origin
    // (webOrigin). Without one, its address is CloudFront's, which the APIs' and the bucket's CORS rules
    // name, so naming them back would be a dependency cycle: the CSP then allows this region's API Gateway
    // and S3 hosts.
    const connect = settings.webOrigin
      ? [api.httpStage.url, ...(wsUrl ? [wsUrl] : []), `https://${data.evidence.bucketRegionalDomainName}`]
      : [
          `https://*.execute-api.${Aws.REGION}.amazonaws.com`,
          `wss://*.execute-api.${Aws.REGION}.amazonaws.com`,
          `https://*.s3.${Aws.REGION}.amazonaws.com`,
        ];
    web?.publish({ apiUrl: api.httpStage.url, wsUrl, embedOrigins: settings.embedOrigins }, connect);

    new Observability(this, 'Observability', {
      stage: settings.stage,
      functions: [...api.functions, ...jobs.functions, ...mailbox.functions],
      http: api.http,
      realtime: api.realtime && api.realtimeStage ? { api: api.realtime, stage: api.realtimeStage } : undefined,
      table: data.table,
      deadLetters: jobs.deadLetters,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, 'HttpApiUrl', { value: api.httpStage.url, description: 'HTTP API base URL' });
    if (api.realtimeStage) {
      new CfnOutput(this, 'WebSocketUrl', { value: api.realtimeStage.url, description: 'WebSocket API URL' });
    }
    if (mailbox.ruleSet) {
      new CfnOutput(this, 'ReceiptRuleSetName', {
        value: mailbox.ruleSet.receiptRuleSetName,
        description: 'Activate it to receive mail at the support address (docs/mailbox.md)',
      });
    }
    new CfnOutput(this, 'WebUrl', { value: webUrl, description: 'Where people open the web app' });
    // What `npm run admin:invite` and the host platform's operators need to find (README, "Deploy").
    new CfnOutput(this, 'TableName', { value: data.table.tableName, description: 'The DynamoDB table (TABLE_NAME)' });
    new CfnOutput(this, 'JwtSecretArn', {
      value: secrets.jwt.secretArn,
      description: 'JWT signing key (JWT_SECRET_ARN)',
    });
    new CfnOutput(this, 'PlatformSecretArn', {
      value: secrets.platform.secretArn,
      description: "The host platform's shared secret",
    });
  }
}
