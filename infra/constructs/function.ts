// One Lambda function (a group of routes, infra/function-groups.ts, a scheduled job or a mail function): its
// bundle (bundles.ts) and its own role, granted exactly the `access` it declares and nothing else.
import { type Duration, Stack } from 'aws-cdk-lib';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { objectPrefixes, partitions } from '../../shared/store/partitions.js';
import { bucketsOf } from '../function-groups.js';
import { type Access, type BucketAccess, defaultMemoryMb } from '../routes.js';
import { globalIndexes } from '../table.js';
import type { Bundles } from './bundles.js';
import type { Data } from './data.js';
import type { Mail } from './mail.js';
import { acknowledgeWildcardResource } from './nag.js';
import type { Secrets } from './secrets.js';

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 wants the latest). */
export const functionRuntime = Runtime.NODEJS_24_X;

// Transactions need no actions of their own: IAM checks each item's Put/Update/Delete/ConditionCheck.
const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** What every function of the stack shares: where its code lives, what it may reach, how long logs stay. */
export interface FunctionDefaults {
  /** Bundles the handlers; constructs announce theirs first so one esbuild run covers them. */
  bundles: Bundles;
  data: Data;
  secrets: Secrets;
  mail: Mail;
  /** The WebSocket stage whose @connections endpoint functions post to; absent until the app has WebSocket routes. */
  connections?: WebSocketStage;
  /** The HTTP API's URL, for links mail clients call (one-click unsubscribe); absent until the API exists. */
  apiUrl?: string;
  /** Variables every function gets (shared/config.ts reads them); CONNECTIONS_ENDPOINT and API_URL are added here. */
  environment: Record<string, string>;
  /**
   * The one log group every function writes to: it holds the request log (the audit trail). One group, not
   * one per function, because a Logs Insights query (the auditors' saved queries) reads at most 50 log groups
   * and the functions outnumber that; each request line names its `functionName`.
   */
  requestLog: ILogGroup;
}

export interface FunctionSpec {
  /** Handler file, relative to the project root (`functions/http/health.ts`). */
  handler: string;
  access: Access;
  memory?: number;
  timeout: Duration;
  description: string;
  /** Where Lambda puts an asynchronous invocation that failed after its retries (scheduled jobs). */
  deadLetterQueue?: IQueue;
}

/** A construct id from a route key or name: `GET /tickets/{id}/events` → `GetTicketsIdEvents`, `$connect` → `Connect`. */
export function constructIdFor(key: string): string {
  return (
    key
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      // `GET` → `Get`; `groupId` stays `GroupId`.
      .map((part) =>
        part === part.toUpperCase() ? part[0] + part.slice(1).toLowerCase() : part[0]?.toUpperCase() + part.slice(1),
      )
      .join('')
  );
}

export class AppFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: ILogGroup;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, spec: FunctionSpec, defaults: FunctionDefaults) {
    super(scope, id);
    this.spec = spec;

    this.logGroup = defaults.requestLog;
    // An explicit role (instead of Lambda's default with the AWS-managed basic execution policy) so the
    // function can write to the request log group only.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Atende ${spec.description}`,
    });
    this.logGroup.grantWrite(role);

    // Stack traces point into the TypeScript sources through the bundle's source map.
    const environment: Record<string, string> = { ...defaults.environment, NODE_OPTIONS: '--enable-source-maps' };
    if (defaults.connections) environment.CONNECTIONS_ENDPOINT = defaults.connections.callbackUrl;
    if (defaults.apiUrl) environment.API_URL = defaults.apiUrl;

    // A plain Function: the code is already bundled (bundles.ts, one esbuild run for every handler), so
    // NodejsFunction, whose work is bundling, would only be a shell around it.
    this.function = new LambdaFunction(this, 'Function', {
      description: `Atende ${spec.description}`,
      code: defaults.bundles.code(spec.handler),
      handler: 'index.handler',
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      memorySize: spec.memory ?? defaultMemoryMb,
      timeout: spec.timeout,
      tracing: Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      environment,
      deadLetterQueue: spec.deadLetterQueue,
    });
    this.grantAccess(role, spec.access, defaults);
  }

  private grantAccess(role: Role, access: Access, defaults: FunctionDefaults): void {
    const { table, evidence } = defaults.data;

    if (access.table) {
      const indexArns = globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: tableReadActions, resources: [table.tableArn, ...indexArns] }),
      );
      if (access.table === 'write') {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: tableWriteActions, resources: [table.tableArn] }));
      } else if (typeof access.table === 'object') {
        // Writes only to items whose partition key starts with one of its partitions' prefixes.
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: tableWriteActions,
            resources: [table.tableArn],
            conditions: {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': access.table.write.map((partition) => `${partitions[partition]}*`),
              },
            },
          }),
        );
      }
    }

    const buckets = bucketsOf(access);
    if (buckets.length > 0) {
      const { upload, attached, export: exports } = objectPrefixes;
      const grants: Record<BucketAccess, { actions: string[]; prefixes: string[] }[]> = {
        read: [{ actions: ['s3:GetObject'], prefixes: [upload, attached] }],
        upload: [{ actions: ['s3:PutObject'], prefixes: [upload] }],
        // HeadObject and the copy's read are GetObject; the copy's write is PutObject.
        attach: [
          { actions: ['s3:GetObject', 's3:DeleteObject'], prefixes: [upload] },
          { actions: ['s3:PutObject'], prefixes: [attached] },
        ],
        // A multipart upload's parts and completion are PutObject; an export that failed aborts its upload.
        export: [
          { actions: ['s3:GetObject'], prefixes: [upload, attached, exports] },
          { actions: ['s3:PutObject', 's3:AbortMultipartUpload'], prefixes: [exports] },
        ],
        erase: [{ actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], prefixes: [upload, attached, exports] }],
      };
      // Each action once, on the prefixes any of the function's kinds of access needs it on.
      const prefixesOf = new Map<string, Set<string>>();
      for (const grant of buckets.flatMap((kind) => grants[kind])) {
        for (const action of grant.actions) {
          prefixesOf.set(action, new Set([...(prefixesOf.get(action) ?? []), ...grant.prefixes]));
        }
      }
      for (const [action, prefixes] of prefixesOf) {
        const resources = [...prefixes].sort().map((prefix) => evidence.arnForObjects(`${prefix}*`));
        role.addToPrincipalPolicy(new PolicyStatement({ actions: [action], resources }));
      }
      for (const prefix of new Set([...prefixesOf.values()].flatMap((prefixes) => [...prefixes]))) {
        acknowledgeWildcardResource(
          role,
          evidence.arnForObjects(`${prefix}*`),
          'Evidence object keys are server-generated ids known only at request time; the grant covers one ' +
            'prefix of this one bucket (a listing, where granted, is narrowed to the same prefixes).',
        );
      }
    }

    if (bucketsOf(access).includes('erase')) {
      // Listing a file's versions is a bucket-level action, narrowed to the prefixes a person's files live under.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucketVersions'],
          resources: [evidence.bucketArn],
          conditions: {
            StringLike: {
              's3:prefix': [objectPrefixes.upload, objectPrefixes.attached, objectPrefixes.export].map((p) => `${p}*`),
            },
          },
        }),
      );
    }

    if (access.mail) defaults.mail.grantSend(role);

    if (access.connections) {
      const stage = defaults.connections;
      if (!stage) throw new Error(`${this.spec.handler} needs connections, but the app has no WebSocket routes`);
      const connectionsArn = Stack.of(this).formatArn({
        service: 'execute-api',
        resource: stage.api.apiId,
        resourceName: `${stage.stageName}/*/@connections/*`,
      });
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connectionsArn] }),
      );
      acknowledgeWildcardResource(
        role,
        connectionsArn,
        'Connection ids are created by API Gateway at connect time; the grant covers only the @connections ' +
          'endpoint (POST, GET, DELETE) of this stage of this WebSocket API.',
      );
    }

    for (const name of access.secrets ?? []) defaults.secrets.byName(name).grantRead(role);

    acknowledgeWildcardResource(
      role,
      '*',
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    );
  }
}
