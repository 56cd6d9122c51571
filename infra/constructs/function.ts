// One Lambda function for one entry of the route table: its bundle (bundles.ts), its own role, granted exactly
// the `access` its route declares and nothing else, and the stack's one request log group, which every
// function writes to (each in its own streams): a saved Logs Insights query may name at most 50 log groups,
// and the audit questions must cover every function however many routes there are.
import { type Duration, Stack } from 'aws-cdk-lib';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Access } from '../routes.js';
import { globalIndexes } from '../table.js';
import type { Bundles } from './bundles.js';
import type { Data } from './data.js';
import type { Mail } from './mail.js';
import { acknowledgeWildcardResource } from './nag.js';
import type { Secrets } from './secrets.js';

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 wants the latest). */
export const functionRuntime = Runtime.NODEJS_24_X;

export const defaultMemoryMb = 256;

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
  /** Variables every function gets (shared/config.ts reads them); CONNECTIONS_ENDPOINT is added here. */
  environment: Record<string, string>;
  /** Where every function logs: the request log (the audit trail), kept for the audit period. */
  requestLogs: LogGroup;
}

export interface FunctionSpec {
  /** Handler file, relative to the project root (`functions/http/health.ts`). */
  handler: string;
  access: Access;
  memory?: number;
  timeout: Duration;
  description: string;
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
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, spec: FunctionSpec, defaults: FunctionDefaults) {
    super(scope, id);
    this.spec = spec;

    this.logGroup = defaults.requestLogs;
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

    this.function = new NodejsFunction(this, 'Function', {
      description: `Atende ${spec.description}`,
      // Bundled as NodejsFunction would (ESM, minified, source maps, createRequire banner), in one shared run.
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
      }
    }

    if (access.bucket) {
      const objects = evidence.arnForObjects('*');
      const actions =
        access.bucket === 'write' ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'];
      role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [objects] }));
      acknowledgeWildcardResource(
        role,
        objects,
        'Evidence object keys are server-generated ids known only at request time; the grant covers objects of ' +
          'this one bucket (no bucket-level or listing actions).',
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
