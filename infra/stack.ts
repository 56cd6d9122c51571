// The one stack. Read top to bottom it is the whole system: data, secrets, mail, the web app, the two APIs
// with one function per route of infra/routes.ts, scheduled jobs, and what operators and auditors watch.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from './constructs/api.js';
import { Bundles } from './constructs/bundles.js';
import { Data } from './constructs/data.js';
import { functionRuntime } from './constructs/function.js';
import { Jobs } from './constructs/jobs.js';
import { Mail } from './constructs/mail.js';
import { Observability } from './constructs/observability.js';
import { Secrets } from './constructs/secrets.js';
import { Web } from './constructs/web.js';
import { type ScheduledJob, scheduledJobs } from './routes.js';

export interface AtendeSettings {
  /** `dev`, `prod`, …: names the stack and keeps several deployments apart in one account. */
  stage: string;
  /** Sender of invitations and password resets; an SES identity. */
  mailFrom: string;
  /** Whether this stack creates the SES identity for `mailFrom` (one per account and region). */
  createMailIdentity: boolean;
  /** Where people open the web app; links in e-mails point here. Default: the CloudFront URL. */
  webOrigin?: string;
  /** Receives alarm notifications. */
  alarmEmail?: string;
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

/** Without a web origin and without a built web app (a bare `cdk synth`), links point at the local stack. */
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
        })
      : undefined;
    // The one origin browsers may call the APIs and the evidence bucket from: where people open the app.
    const webUrl = settings.webOrigin ?? web?.url ?? fallbackWebUrl;
    const webOrigins = [webUrl];
    data.allowOrigins(webOrigins);

    const secrets = new Secrets(this, 'Secrets', { keepData });
    const mail = new Mail(this, 'Mail', { mailFrom: settings.mailFrom, createIdentity: settings.createMailIdentity });

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
        requestLogs: new LogGroup(this, 'RequestLogs', { retention: settings.auditRetention, removalPolicy }),
        environment: {
          TABLE_NAME: data.table.tableName,
          BUCKET_NAME: data.evidence.bucketName,
          MAIL_FROM: settings.mailFrom,
          WEB_URL: webUrl,
          WEB_ORIGINS: webOrigins.join(','),
          JWT_SECRET_ARN: secrets.jwt.secretArn,
          PLATFORM_SECRET_ARN: secrets.platform.secretArn,
          POWERTOOLS_SERVICE_NAME: 'atende',
          POWERTOOLS_METRICS_NAMESPACE: `Atende/${settings.stage}`,
          ATENDE_VERSION: settings.version,
        },
      },
    });

    const jobs = new Jobs(this, 'Jobs', {
      jobs: scheduledJobs as readonly ScheduledJob[],
      functions: api.functionDefaults,
    });

    web?.publish({ apiUrl: api.httpStage.url, wsUrl: api.realtimeStage?.url ?? '' });

    new Observability(this, 'Observability', {
      stage: settings.stage,
      functions: [...api.functions, ...jobs.functions],
      http: api.http,
      realtime: api.realtime && api.realtimeStage ? { api: api.realtime, stage: api.realtimeStage } : undefined,
      table: data.table,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, 'HttpApiUrl', { value: api.httpStage.url, description: 'HTTP API base URL' });
    if (api.realtimeStage) {
      new CfnOutput(this, 'WebSocketUrl', { value: api.realtimeStage.url, description: 'WebSocket API URL' });
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
