// The deployed system as CloudFormation sees it: synthesized once (bundling every handler with esbuild, as
// `cdk synth` does) and checked resource by resource, then cdk-nag's verdict, then every bundle loaded in a
// fresh Node.js process the way Lambda loads it.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { constructIdFor } from '../../infra/constructs/function.js';
import { auditQueries, failureMessages, gatewayRefusals } from '../../infra/constructs/observability.js';
import { bucketsOf, groupedFunctions } from '../../infra/function-groups.js';
import { accessChangeActions, dataRequestActions, signInRoutes } from '../../infra/local/audit/query.js';
import { httpRefusalLine } from '../../infra/local/gateway/http.js';
import { wsRefusalLine } from '../../infra/local/gateway/ws.js';
import {
  type Access,
  type BucketAccess,
  defaultMemoryMb,
  type HttpRoute,
  httpRoutes,
  inboundMailPrefix,
  mailFunctions,
  realtimeFunction,
  routeKey,
  type ScheduledJob,
  scheduledJobs,
  type WsRoute,
  wsAuthorizer,
  wsRoutes,
} from '../../infra/routes.js';
import { globalIndexes, tableKeys } from '../../infra/table.js';
import { metricNames, metricService } from '../../shared/observability/metrics.js';
import { forEachLimited } from '../../shared/pool.js';
import { objectPrefixes, partitions } from '../../shared/store/partitions.js';
import { projectNodeMajor } from '../support/node.js';

// biome-ignore lint/suspicious/noExplicitAny: templates are walked by hand; each check names the shape it expects.
type Json = Record<string, any>;

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const cdkContext = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context as Json;
const temporaryDirs: string[] = [];
const temporaryDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the CDK app the way `cdk synth` does (the command of cdk.json, with the context and output directory
 * the CLI would pass in CDK_CONTEXT_JSON and CDK_OUTDIR) and reads the cloud assembly it writes. A separate
 * process also because CDK's local bundling hands process.stderr to a child, which a vitest worker thread's
 * stderr cannot be.
 */
async function synthesize(context: Json) {
  const outdir = temporaryDir('atende-cdk-');
  const fullContext = {
    ...cdkContext,
    ...context,
    // What the CLI adds: resource paths and asset folders in the template metadata.
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    // Report cdk-nag findings as a failing test that lists them, not as a crash while loading this file.
    '@aws-cdk/core:failSynthOnValidationErrors': false,
  };
  await run(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: projectRoot,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(fullContext) },
    maxBuffer: 64 * 1024 * 1024,
  });
  const read = (file: string) => JSON.parse(readFileSync(join(outdir, file), 'utf8'));
  const stackName = `Atende-${context.stage}`;
  const json = read(`${stackName}.template.json`) as Json;
  const metadata = read(`${stackName}.metadata.json`) as Record<string, { type: string; data: unknown }[]>;
  const entries = Object.entries(metadata).flatMap(([path, list]) => list.map((entry) => ({ path, ...entry })));
  return {
    outdir,
    json,
    template: Template.fromJSON(json),
    report: read('validation-report.json') as ValidationReport,
    /** Warnings and errors CDK attached to constructs. */
    messages: entries.filter((entry) => entry.type === 'aws:cdk:warning' || entry.type === 'aws:cdk:error'),
    /** rule id → reason, for every acknowledged cdk-nag finding. */
    acknowledgements: entries
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
  };
}

// A stand-in for web/dist, so the Web construct is always part of what is tested.
const webDir = temporaryDir('atende-web-');
writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Atende</title>');

const portal = 'https://portal.example.com';
const hosts = ['https://platform.example.com', 'https://erp.example.com'];
const [prod, dev] = await Promise.all([
  synthesize({
    stage: 'prod',
    mailFrom: 'Atende <suporte@example.com>',
    supportAddress: 'atendimento@example.com',
    webOrigin: portal,
    embedOrigins: hosts.join(','),
    alarmEmail: 'ops@example.com',
    auditRetentionDays: 731,
    debugRetentionDays: 14,
    webAssetsDir: webDir,
  }),
  // dev differs in what it keeps; its bundles are skipped (as `cdk deploy --exclusively` does for other stacks).
  synthesize({ stage: 'dev', webAssetsDir: webDir, 'aws:cdk:bundling-stacks': [] }),
]);

const resources = (synth: { json: Json }, type: string): [string, Json][] =>
  Object.entries(synth.json.Resources as Record<string, Json>).filter(([, resource]) => resource.Type === type);
const pathOf = (resource: Json): string => resource.Metadata?.['aws:cdk:path'] ?? '';
const byPath = (synth: { json: Json }, type: string, path: string): [string, Json] => {
  const found = resources(synth, type).find(([, resource]) => pathOf(resource) === path);
  if (!found) throw new Error(`no ${type} at ${path}`);
  return found;
};
const refTo = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/**
 * What the stack must contain: one function per group of routes (infra/function-groups.ts), scheduled job and
 * mail function (read as generically as the stack does).
 */
interface ExpectedFunction {
  id: string;
  access: Access;
  memory?: number;
  /** The handler files bundled into it. */
  handlers: readonly string[];
}
const http = httpRoutes as readonly HttpRoute[];
const ws = wsRoutes as readonly WsRoute[];
const jobs = scheduledJobs as readonly ScheduledJob[];
const groups = groupedFunctions();
const expectedFunctions: ExpectedFunction[] = [
  ...groups.map((fn) => ({
    id: `Api/${fn.id}`,
    access: fn.access,
    memory: fn.memory,
    handlers: fn.routes.map((route) => route.handler),
  })),
  ...jobs.map((job) => ({ id: `Jobs/${constructIdFor(job.name)}`, access: job.access, handlers: [job.handler] })),
  { id: 'Mailbox/Events', access: mailFunctions.events.access, handlers: [mailFunctions.events.handler] },
  { id: 'Mailbox/Inbound', access: mailFunctions.inbound.access, handlers: [mailFunctions.inbound.handler] },
];
const functionOf = (expected: Pick<ExpectedFunction, 'id'>) =>
  byPath(prod, 'AWS::Lambda::Function', `Atende-prod/${expected.id}/Function/Resource`);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement the function's role is allowed, wherever CDK put it. */
function statementsOf(fn: Json): Statement[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const role = prod.json.Resources[roleId] as Json;
  expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
  const inline = (role.Properties.Policies ?? []).flatMap((policy: Json) => policy.PolicyDocument.Statement);
  const attached = resources(prod, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(refTo(roleId))))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
  return [...inline, ...attached].filter((statement: Statement) => statement.Effect === 'Allow');
}
const actionsOf = (statements: Statement[]) => new Set(statements.flatMap((statement) => asList(statement.Action)));
const resourcesFor = (statements: Statement[], action: string) =>
  statements.filter((statement) => asList(statement.Action).includes(action)).flatMap((s) => asList(s.Resource));

const [tableId] = byPath(prod, 'AWS::DynamoDB::Table', 'Atende-prod/Data/Table/Resource');
const [evidenceId] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Data/Evidence/Resource');
const [accessLogsId] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Data/AccessLogs/Resource');
const [configurationSetId] = byPath(prod, 'AWS::SES::ConfigurationSet', 'Atende-prod/Mail/ConfigurationSet/Resource');
const [httpApiId] = byPath(prod, 'AWS::ApiGatewayV2::Api', 'Atende-prod/Api/Http/Resource');
const accessLogIds = ['Atende-prod/Api/HttpAccessLogs/Resource', 'Atende-prod/Api/RealtimeAccessLogs/Resource']
  .filter((path) => ws.length > 0 || !path.includes('Realtime'))
  .map((path) => byPath(prod, 'AWS::Logs::LogGroup', path)[0]);
const secretIds = {
  jwt: byPath(prod, 'AWS::SecretsManager::Secret', 'Atende-prod/Secrets/JwtSigningKey/Resource')[0],
  platform: byPath(prod, 'AWS::SecretsManager::Secret', 'Atende-prod/Secrets/PlatformSecret/Resource')[0],
};

describe('data', () => {
  it('keeps everything in one on-demand table with the keys, indexes and TTL of infra/table.ts', () => {
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: tableKeys.ttlAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
    prod.template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('protects the table of a non-dev stage from deletion, and lets dev go', () => {
    const [, table] = byPath(prod, 'AWS::DynamoDB::Table', 'Atende-prod/Data/Table/Resource');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    const [, devTable] = byPath(dev, 'AWS::DynamoDB::Table', 'Atende-dev/Data/Table/Resource');
    expect(devTable.Properties.DeletionProtectionEnabled).toBe(false);
    expect(devTable.DeletionPolicy).toBe('Delete');
  });

  it('keeps evidence private, TLS-only, encrypted and access-logged', () => {
    const [, bucket] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Data/Evidence/Resource');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual(refTo(accessLogsId));
    expect(bucket.DeletionPolicy).toBe('Retain');
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: refTo(evidenceId),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('deletes uploads never attached to a ticket and data exports (their versions too) after a day, and nothing else', () => {
    const [, bucket] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Data/Evidence/Resource');
    const expiring = bucket.Properties.LifecycleConfiguration.Rules.filter((rule: Json) => rule.ExpirationInDays);
    expect(expiring).toEqual([
      expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' }),
      expect.objectContaining({
        Prefix: 'exports/',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      }),
    ]);
  });

  it('versions evidence, so an overwritten or deleted file can be recovered for 30 days', () => {
    const [, bucket] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Data/Evidence/Resource');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
    );
  });

  it('lets only the web app origin upload and download evidence from a browser', () => {
    const [, bucket] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Data/Evidence/Resource');
    const [rule, ...others] = bucket.Properties.CorsConfiguration.CorsRules;
    expect(others).toEqual([]);
    expect(rule.AllowedMethods.sort()).toEqual(['GET', 'POST']);
    expect(rule.AllowedOrigins).toEqual([portal]);
  });
});

describe('APIs', () => {
  it('has exactly the HTTP routes of infra/routes.ts, none behind an API Gateway authorizer', () => {
    const routes = resources(prod, 'AWS::ApiGatewayV2::Route').filter(
      ([, route]) => JSON.stringify(route.Properties.ApiId) === JSON.stringify(refTo(httpApiId)),
    );
    expect(routes.map(([, route]) => route.Properties.RouteKey).sort()).toEqual(http.map(routeKey).sort());
    // Signed-in routes verify the access token in their own function: one invocation per request, a
    // revocation refused at once, and the contract's 401 body (shared/http/handler.ts).
    for (const [, route] of routes) expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('NONE');
    const authorizers = resources(prod, 'AWS::ApiGatewayV2::Authorizer').filter(
      ([, authorizer]) => JSON.stringify(authorizer.Properties.ApiId) === JSON.stringify(refTo(httpApiId)),
    );
    expect(authorizers).toEqual([]);
  });

  it('allows CORS from the web app origin only', () => {
    const [, api] = byPath(prod, 'AWS::ApiGatewayV2::Api', 'Atende-prod/Api/Http/Resource');
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([portal]);
  });

  it('defaults the web origin to the CloudFront URL of the web app', () => {
    const [, api] = byPath(dev, 'AWS::ApiGatewayV2::Api', 'Atende-dev/Api/Http/Resource');
    expect(JSON.stringify(api.Properties.CorsConfiguration.AllowOrigins)).toMatch(
      /^\[\{"Fn::Join":\["",\["https:\/\/",\{"Fn::GetAtt":\["WebDistribution/,
    );
    expect(JSON.stringify(dev.json.Outputs.WebUrl.Value)).toContain('WebDistribution');
  });

  it('throttles the HTTP stage and writes JSON access logs with the request id', () => {
    const [, stage] = byPath(prod, 'AWS::ApiGatewayV2::Stage', 'Atende-prod/Api/HttpStage/Resource');
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format).requestId).toBe('$context.requestId');
  });

  it('gives every route anyone may call a throttle of its own, below the stage', () => {
    const [, stage] = byPath(prod, 'AWS::ApiGatewayV2::Stage', 'Atende-prod/Api/HttpStage/Resource');
    const publicKeys = http.filter((route) => !route.auth && route.path !== '$default').map(routeKey);
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicKeys.sort());
    expect(publicKeys).toEqual(expect.arrayContaining(['POST /auth/login', 'GET /invites/lookup']));
    for (const settings of Object.values(stage.Properties.RouteSettings) as Json[]) {
      expect(settings.ThrottlingRateLimit).toBeLessThan(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit);
      expect(settings.ThrottlingBurstLimit).toBeLessThan(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit);
    }
  });

  describe.runIf(ws.length > 0)('WebSocket', () => {
    const realtimeId = () => byPath(prod, 'AWS::ApiGatewayV2::Api', 'Atende-prod/Api/Realtime/Resource')[0];
    const realtimeRoutes = () =>
      resources(prod, 'AWS::ApiGatewayV2::Route').filter(
        ([, route]) => JSON.stringify(route.Properties.ApiId) === JSON.stringify(refTo(realtimeId())),
      );

    it('selects routes by `action` and has exactly the WebSocket routes of infra/routes.ts', () => {
      prod.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      });
      expect(
        realtimeRoutes()
          .map(([, route]) => route.Properties.RouteKey)
          .sort(),
      ).toEqual(ws.map((route) => route.routeKey).sort());
    });

    it('authorizes $connect with the one-time ticket from the query string', () => {
      prod.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: refTo(realtimeId()),
        AuthorizerType: 'REQUEST',
        IdentitySource: [`route.request.querystring.${wsAuthorizer.identityQueryParameter}`],
      });
      const connect = realtimeRoutes().find(([, route]) => route.Properties.RouteKey === '$connect');
      expect(connect?.[1].Properties.AuthorizationType).toBe('CUSTOM');
    });

    it('replies to the sender with what the handler returns on every route but $connect and $disconnect', () => {
      const routeIdsWithResponse = new Set(
        resources(prod, 'AWS::ApiGatewayV2::RouteResponse').map(([, response]) => response.Properties.RouteId.Ref),
      );
      for (const [id, route] of realtimeRoutes()) {
        const lifecycle = ['$connect', '$disconnect'].includes(route.Properties.RouteKey);
        expect(routeIdsWithResponse.has(id), route.Properties.RouteKey).toBe(!lifecycle);
      }
    });

    it('throttles the WebSocket stage and writes JSON access logs', () => {
      const [, stage] = byPath(prod, 'AWS::ApiGatewayV2::Stage', 'Atende-prod/Api/RealtimeStage/Resource');
      expect(stage.Properties.StageName).toBe('prod');
      expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
      expect(JSON.parse(stage.Properties.AccessLogSettings.Format).connectionId).toBe('$context.connectionId');
      // WebSocket access logs need API Gateway's account-level CloudWatch role.
      prod.template.resourceCountIs('AWS::ApiGateway::Account', 1);
    });
  });

  it('publishes the API and web URLs', () => {
    const outputs = Object.keys(prod.json.Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'HttpApiUrl',
        'WebUrl',
        ...(ws.length ? ['WebSocketUrl'] : []),
        'TableName',
        'JwtSecretArn',
        'PlatformSecretArn',
      ]),
    );
    expect(prod.json.Outputs.WebUrl.Value).toBe(portal);
  });
});

describe('functions', () => {
  const ours = () =>
    resources(prod, 'AWS::Lambda::Function').filter(([, fn]) => /^Atende-prod\/(Api|Jobs|Mailbox)\//.test(pathOf(fn)));

  it('has one function per route, action, authorizer and scheduled job of infra/routes.ts', () => {
    expect(
      ours()
        .map(([, fn]) => pathOf(fn))
        .sort(),
    ).toEqual(expectedFunctions.map((expected) => `Atende-prod/${expected.id}/Function/Resource`).sort());
  });

  it('runs every function on arm64 and Node.js 22 or newer, traced, logging to a log group kept for the audit period', () => {
    for (const expected of expectedFunctions) {
      const [, fn] = functionOf(expected);
      const { Properties: props } = fn;
      expect(props.Architectures, expected.id).toEqual(['arm64']);
      expect(Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1]), expected.id).toBeGreaterThanOrEqual(22);
      expect(props.TracingConfig, expected.id).toEqual({ Mode: 'Active' });
      expect(props.Handler).toBe('index.handler');
      expect(props.MemorySize).toBe(expected.memory ?? defaultMemoryMb);
      const logGroup = prod.json.Resources[props.LoggingConfig.LogGroup.Ref];
      expect(logGroup.Properties.RetentionInDays, expected.id).toBe(731);
      expect(logGroup.DeletionPolicy).toBe('Retain');
    }
  });

  it('runs every function on the Node.js major that development and tests run on (scripts/node.mjs)', () => {
    for (const expected of expectedFunctions) {
      expect(functionOf(expected)[1].Properties.Runtime, expected.id).toBe(`nodejs${projectNodeMajor}.x`);
    }
  });

  it('gives every function the same configuration names as the local stack', () => {
    for (const expected of expectedFunctions) {
      const variables = functionOf(expected)[1].Properties.Environment.Variables;
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'BUCKET_NAME',
          'MAIL_FROM',
          'WEB_URL',
          'WEB_ORIGINS',
          'JWT_SECRET_ARN',
          'PLATFORM_SECRET_ARN',
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
          'ATENDE_VERSION',
          'SES_CONFIGURATION_SET',
          'SUPPORT_ADDRESS',
          'API_URL',
          ...(ws.length ? ['CONNECTIONS_ENDPOINT'] : []),
        ]),
      );
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(variables.MAIL_FROM).toBe('Atende <suporte@example.com>');
      expect(variables.WEB_URL).toBe(portal);
      expect(variables.WEB_ORIGINS).toBe(portal);
      expect(variables.TABLE_NAME).toEqual(refTo(tableId));
      expect(variables.SES_CONFIGURATION_SET).toEqual(refTo(configurationSetId));
      expect(variables.SUPPORT_ADDRESS).toBe('atendimento@example.com');
    }
  });

  it('grants each function exactly the access its route declares', () => {
    const tableWrites = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    for (const expected of expectedFunctions) {
      const statements = statementsOf(functionOf(expected)[1]);
      const actions = actionsOf(statements);
      const has = (prefix: string) => [...actions].some((action) => action.startsWith(prefix));
      const label = `${expected.id} ${JSON.stringify(expected.access)}`;
      const { access } = expected;

      expect(has('dynamodb:'), label).toBe(Boolean(access.table));
      expect(actions.has('dynamodb:Scan'), label).toBe(false);
      expect(
        tableWrites.some((action) => actions.has(action)),
        label,
      ).toBe(access.table === 'write' || typeof access.table === 'object');
      // A function that writes only some kinds of items may write only their partitions.
      const writes = statements.filter((statement) => asList(statement.Action).includes('dynamodb:PutItem'));
      if (typeof access.table === 'object') {
        expect(writes, label).toHaveLength(1);
        expect(writes[0]?.Condition, label).toEqual({
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': access.table.write.map((partition) => `${partitions[partition]}*`),
          },
        });
      } else {
        for (const statement of writes) expect(statement.Condition, label).toBeUndefined();
      }
      for (const resource of resourcesFor(statements, 'dynamodb:GetItem')) {
        expect(JSON.stringify(resource), label).toContain(tableId);
      }

      expect(has('s3:'), label).toBe(Boolean(access.bucket));
      // Each S3 action on exactly the prefixes of the evidence bucket its kind of access needs.
      const prefixesOf = (action: string) =>
        resourcesFor(statements, action)
          .map((resource) => {
            const rendered = JSON.stringify(resource);
            expect(rendered, label).toContain(evidenceId);
            return /"\/([a-z]+\/)\*"/.exec(rendered)?.[1] ?? rendered;
          })
          .sort();
      const { upload, attached, export: exports } = objectPrefixes;
      const byKind: Record<BucketAccess, Record<'get' | 'put' | 'delete', string[]>> = {
        read: { get: [attached, upload], put: [], delete: [] },
        export: { get: [attached, exports, upload], put: [exports], delete: [] },
        erase: { get: [], put: [], delete: [attached, exports, upload] },
        upload: { get: [], put: [upload], delete: [] },
        attach: { get: [upload], put: [attached], delete: [upload] },
      };
      // A function serving several routes: each action on the prefixes any of their kinds needs.
      const union = (pick: (grants: Record<'get' | 'put' | 'delete', string[]>) => string[]) =>
        [...new Set(bucketsOf(access).flatMap((kind) => pick(byKind[kind])))].sort();
      const expectedS3 = { get: union((g) => g.get), put: union((g) => g.put), delete: union((g) => g.delete) };
      expect(
        { get: prefixesOf('s3:GetObject'), put: prefixesOf('s3:PutObject'), delete: prefixesOf('s3:DeleteObject') },
        label,
      ).toEqual(expectedS3);

      expect(has('ses:'), label).toBe(Boolean(access.mail));
      for (const resource of resourcesFor(statements, 'ses:SendEmail')) {
        expect(JSON.stringify(resource), label).toMatch(
          new RegExp(`identity/(suporte@)?example\\.com"|configuration-set/",\\{"Ref":"${configurationSetId}"`),
        );
      }

      expect(has('execute-api:'), label).toBe(Boolean(access.connections));

      const secrets = resourcesFor(statements, 'secretsmanager:GetSecretValue').map((resource) =>
        JSON.stringify(resource),
      );
      const expectedSecrets = (access.secrets ?? []).map((name) => JSON.stringify(refTo(secretIds[name])));
      expect(secrets.sort(), label).toEqual(expectedSecrets.sort());

      // Only X-Ray, which has no resource-level permissions, is granted on every resource.
      for (const statement of statements.filter((s) => asList(s.Resource).includes('*'))) {
        expect(asList(statement.Action).sort(), label).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
    }
  });

  it('runs every HTTP route in the function its row names, every WebSocket route and the $connect authorizer in realtime', () => {
    const functionIdOf = (group: string) =>
      functionOf(
        expectedFunctions.find(
          (fn) => fn.id === `Api/${groups.find((g) => g.group === group)?.id}`,
        ) as ExpectedFunction,
      )[0];
    const integrations = Object.fromEntries(resources(prod, 'AWS::ApiGatewayV2::Integration'));
    const targetOf = (route: Json) =>
      JSON.stringify(integrations[route.Properties.Target['Fn::Join'][1][1].Ref]?.Properties.IntegrationUri);
    for (const [, route] of resources(prod, 'AWS::ApiGatewayV2::Route')) {
      const key = route.Properties.RouteKey as string;
      const declared = http.find((candidate) => routeKey(candidate) === key);
      const group =
        declared && JSON.stringify(route.Properties.ApiId) === JSON.stringify(refTo(httpApiId))
          ? declared.function
          : realtimeFunction;
      expect(targetOf(route), key).toContain(functionIdOf(group));
    }
    const [, authorizer] = resources(prod, 'AWS::ApiGatewayV2::Authorizer')[0] ?? [];
    if (ws.length > 0)
      expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain(functionIdOf(realtimeFunction));
  });

  it("keeps each function to what its own routes need: no evidence files, mail or secrets in realtime, only data exports' files in admin", () => {
    const actionsOfGroup = (group: string) => {
      const fn = expectedFunctions.find(
        (expected) => expected.id === `Api/${groups.find((g) => g.group === group)?.id}`,
      );
      if (!fn) throw new Error(`no function ${group}`);
      return [...actionsOf(statementsOf(functionOf(fn)[1]))];
    };
    const realtime = actionsOfGroup('realtime');
    expect(realtime.filter((action) => /^(s3|ses|secretsmanager):/.test(action))).toEqual([]);
    // An admin's export of a person reads their files and writes exports/; admin never deletes a file.
    expect(
      actionsOfGroup('admin')
        .filter((action) => action.startsWith('s3:'))
        .sort(),
    ).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject']);
    // The host platform's secret signs platform sign-ins only (POST /auth/platform, in the portal).
    expect(groups.filter((g) => g.access.secrets?.includes('platform')).map((g) => g.group)).toEqual(['portal']);
  });

  it("stays comfortably under CloudFormation's 500 resources per stack", () => {
    expect(Object.keys(prod.json.Resources).length).toBeLessThanOrEqual(350);
  });

  it('runs each scheduled job from an EventBridge schedule', () => {
    for (const job of jobs) {
      prod.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `rate(${job.everyMinutes} minute${job.everyMinutes === 1 ? '' : 's'})`,
        Targets: [Match.objectLike({ Arn: arnOf(functionOf({ id: `Jobs/${constructIdFor(job.name)}` })[0]) })],
      });
    }
  });

  it('keeps a scheduled run that could not be delivered, or failed after its retries, in an encrypted TLS-only queue, and alarms on it', () => {
    for (const job of jobs) {
      const id = constructIdFor(job.name);
      const [functionId, fn] = functionOf({ id: `Jobs/${id}` });
      const [queueId, queue] = byPath(prod, 'AWS::SQS::Queue', `Atende-prod/Jobs/${id}DeadLetters/Resource`);
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      // EventBridge gives up on delivering a run: after two retries, or once the next run is due.
      prod.template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [
          Match.objectLike({
            Arn: arnOf(functionId),
            DeadLetterConfig: { Arn: arnOf(queueId) },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: job.everyMinutes * 60 },
          }),
        ],
      });
      // The function's own asynchronous invocation ends there too when the run fails, and may write to it.
      expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: arnOf(queueId) });
      expect(resourcesFor(statementsOf(fn), 'sqs:SendMessage')).toEqual([arnOf(queueId)]);
      const queuePolicy = resources(prod, 'AWS::SQS::QueuePolicy').find(([, policy]) =>
        JSON.stringify(policy.Properties.Queues).includes(queueId),
      )?.[1];
      const statements = (queuePolicy?.Properties.PolicyDocument.Statement ?? []) as Json[];
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: {
            ArnEquals: {
              'aws:SourceArn': arnOf(byPath(prod, 'AWS::Events::Rule', `Atende-prod/Jobs/${id}Schedule/Resource`)[0]),
            },
          },
        }),
      );
      prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [Match.anyValue()],
      });
    }
  });
});

describe('secrets and mail', () => {
  it('generates the JWT signing key and the platform secret at deploy', () => {
    for (const id of Object.values(secretIds)) {
      expect(prod.json.Resources[id].Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    }
  });

  it('creates the SES identity of the sender address', () => {
    prod.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'suporte@example.com' });
  });
});

describe('bounces, complaints and the retired mailbox', () => {
  const eventsFn = () => functionOf({ id: 'Mailbox/Events' })[0];
  const inboundFn = () => functionOf({ id: 'Mailbox/Inbound' })[0];

  it('sends every e-mail with a configuration set that publishes bounces and complaints to EventBridge', () => {
    prod.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: refTo(configurationSetId),
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
  });

  it("sends the configuration set's bounces and complaints to the events function", () => {
    prod.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complained'],
        detail: { mail: { tags: { 'ses:configuration-set': [refTo(configurationSetId)] } } },
      },
      Targets: [Match.objectLike({ Arn: arnOf(eventsFn()) })],
    });
  });

  it('stores mail for the support address in a private bucket, then invokes the inbound function', () => {
    const [bucketId, bucket] = byPath(prod, 'AWS::S3::Bucket', 'Atende-prod/Mailbox/Received/Resource');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual(refTo(accessLogsId));
    prod.template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        Recipients: ['atendimento@example.com'],
        ScanEnabled: true,
        Actions: [
          { S3Action: { BucketName: refTo(bucketId), ObjectKeyPrefix: inboundMailPrefix } },
          { LambdaAction: { FunctionArn: arnOf(inboundFn()), InvocationType: 'Event' } },
        ],
      }),
    });
    prod.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: Match.anyValue(),
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    // The function reads the event's headers, never the stored message.
    expect(JSON.stringify(statementsOf(functionOf({ id: 'Mailbox/Inbound' })[1]))).not.toContain(bucketId);
  });

  it('receives no mail without a support address', () => {
    expect(resources(dev, 'AWS::SES::ReceiptRuleSet')).toEqual([]);
    expect(resources(dev, 'AWS::SES::ConfigurationSet')).toHaveLength(1);
  });
});

describe('observability', () => {
  it('saves a Logs Insights query over every function log for each auditor question', () => {
    const queries = resources(prod, 'AWS::Logs::QueryDefinition').map(([, query]) => query.Properties);
    expect(queries.map((query) => query.Name).sort()).toEqual(auditQueries.map((q) => `Atende-prod/${q.name}`).sort());
    // Logs Insights runs a query over at most 50 named log groups, however many functions there are: they all
    // write to one request log group, which every query reads.
    const [requestLogId] = byPath(prod, 'AWS::Logs::LogGroup', 'Atende-prod/RequestLog/Resource');
    for (const query of queries) {
      expect((query.LogGroupNames as Json[]).length).toBeLessThanOrEqual(50);
      const functionLogs = (query.LogGroupNames as Json[]).filter((group) => !accessLogIds.includes(group.Ref));
      expect(functionLogs).toEqual([refTo(requestLogId as string)]);
      expect(query.QueryString).toContain('kind = "request"');
    }
    const byName = (name: string) => queries.find((query) => query.Name === `Atende-prod/${name}`)?.QueryString;
    // As `npm run audit -- --user`: failed sign-ins and lockouts name the account's e-mail, not a user.
    expect(byName('Everything a user did')).toContain(
      'filter principal.userId = "USER_ID" or (resource.type = "user" and resource.id = "USER_ID") or ' +
        '(resource.type = "account" and resource.id = "USER_EMAIL")',
    );
    expect(byName('Every access to a ticket')).toContain('resource.id = "TICKET_ID"');
    expect(byName('Failed and denied requests')).toContain('outcome in ["denied", "invalid", "error"]');
    // The sign-in routes `npm run audit --help` names for "who signed in", each a route of the stack.
    expect(http.map(routeKey)).toEqual(expect.arrayContaining([...signInRoutes]));
    expect(byName('Logins')).toContain(`route in [${signInRoutes.map((route) => `"${route}"`).join(', ')}]`);
    expect(byName('Lockouts (sign-ins refused for too many attempts)')).toContain('status = 429');
    // As `npm run audit -- --access-changes`: every action that gives or takes someone's access.
    expect(byName('Access changes')).toContain(
      `action in [${accessChangeActions.map((action) => `"${action}"`).join(', ')}]`,
    );
    expect(accessChangeActions).toEqual(
      expect.arrayContaining(['staff.invite', 'invite.accept', 'user.update', 'group.member_remove']),
    );
    // As `npm run audit -- --data-requests`: who exported or erased whose data.
    expect(byName('Data requests')).toContain(
      `action in [${dataRequestActions.map((action) => `"${action}"`).join(', ')}]`,
    );
  });

  it('finds the connections and requests API Gateway refused by itself in the failed and denied query', () => {
    const query = resources(prod, 'AWS::Logs::QueryDefinition')
      .map(([, definition]) => definition.Properties)
      .find((definition) => definition.Name === 'Atende-prod/Failed and denied requests');
    expect(query?.LogGroupNames).toEqual(expect.arrayContaining(accessLogIds.map(refTo)));
    expect(query?.QueryString).toContain(`or (${gatewayRefusals})`);
    // Access-log lines carry the fields the clause reads: a refusal is a line whose integration never ran.
    for (const [, stage] of resources(prod, 'AWS::ApiGatewayV2::Stage')) {
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
      expect(format).toMatchObject({ status: '$context.status', integrationLatency: '$context.integrationLatency' });
    }
    for (const [, other] of resources(prod, 'AWS::Logs::QueryDefinition')) {
      if (other.Properties.Name !== query?.Name)
        expect(other.Properties.LogGroupNames).not.toContainEqual(refTo(accessLogIds[0] as string));
    }
  });

  it('has the local gateway write its refusals with exactly the fields of the deployed access logs', () => {
    const formatOf = (path: string) =>
      Object.keys(JSON.parse(byPath(prod, 'AWS::ApiGatewayV2::Stage', path)[1].Properties.AccessLogSettings.Format));
    const time = new Date();
    const http = httpRefusalLine(
      { method: 'GET', url: '/x', httpVersion: '1.1', headers: {}, socket: {} as IncomingMessage['socket'] },
      { requestId: 'r', time, status: 401, responseLength: 0, routeKey: 'GET /x', error: 'Unauthorized' },
    );
    expect(Object.keys(http)).toEqual(formatOf('Atende-prod/Api/HttpStage/Resource'));
    if (ws.length === 0) return;
    const realtime = wsRefusalLine(
      { requestId: 'r', time },
      { connectionId: 'c', sourceIp: '127.0.0.1' },
      { status: 401, error: 'Unauthorized' },
    );
    expect(Object.keys(realtime)).toEqual(formatOf('Atende-prod/Api/RealtimeStage/Resource'));
  });

  it('keeps the audit trail 400 days and debug logs 30 days when no context says otherwise', () => {
    const functions = resources(dev, 'AWS::Lambda::Function').filter(([, fn]) =>
      /^Atende-dev\/(Api|Jobs|Mailbox)\//.test(pathOf(fn)),
    );
    // dev names no support address, so it has no inbound function.
    expect(functions).toHaveLength(expectedFunctions.length - 1);
    for (const [, fn] of functions) {
      const logGroup = dev.json.Resources[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup.Properties.RetentionInDays, pathOf(fn)).toBe(400);
    }
    for (const name of ['HttpAccessLogs', 'RealtimeAccessLogs'].slice(0, ws.length ? 2 : 1)) {
      expect(byPath(dev, 'AWS::Logs::LogGroup', `Atende-dev/Api/${name}/Resource`)[1].Properties.RetentionInDays).toBe(
        30,
      );
    }
    const [, accessLogBucket] = byPath(dev, 'AWS::S3::Bucket', 'Atende-dev/Data/AccessLogs/Resource');
    expect(accessLogBucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' }),
    );
  });

  it('keeps access logs for the debug period', () => {
    for (const path of ['Atende-prod/Api/HttpAccessLogs/Resource', 'Atende-prod/Api/RealtimeAccessLogs/Resource']) {
      if (path.includes('Realtime') && ws.length === 0) continue;
      expect(byPath(prod, 'AWS::Logs::LogGroup', path)[1].Properties.RetentionInDays).toBe(14);
    }
  });

  it('alarms on HTTP 5xx rate, Lambda errors and throttles, table throttles, fan-out and e-mail failures', () => {
    // The alarmEmail context key subscribes that address to the alarm topic.
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const alarms = resources(prod, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    for (const name of [
      'Http5xxRate',
      'LambdaErrors1',
      'LambdaThrottles1',
      'TableThrottles',
      'FanoutFailures',
      'MailSendFailures',
      'RateLimitedFlood',
    ]) {
      expect(
        alarms.some((id) => id.startsWith(`Observability${name}`)),
        name,
      ).toBe(true);
    }
    // A metric-math alarm takes at most 10 metrics, so every function is covered by some group.
    const errorAlarms = resources(prod, 'AWS::CloudWatch::Alarm').filter(([id]) =>
      id.startsWith('ObservabilityLambdaErrors'),
    );
    const covered = errorAlarms.flatMap(([, alarm]) => alarm.Properties.Metrics.filter((m: Json) => m.MetricStat));
    expect(covered).toHaveLength(expectedFunctions.length);
    for (const [, alarm] of resources(prod, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('counts fan-out and e-mail failures from the log lines shared code writes', () => {
    const filters = resources(prod, 'AWS::Logs::MetricFilter').map(([, filter]) => filter.Properties);
    const patterns = new Set(filters.map((filter) => filter.FilterPattern));
    // One filter per metric over the request log group every function writes to.
    const publishers = expectedFunctions.some((fn) => fn.access.connections) ? 1 : 0;
    const senders = expectedFunctions.some((fn) => fn.access.mail) ? 1 : 0;
    expect(filters).toHaveLength(publishers + senders);
    if (publishers) expect(patterns).toContain(`{ $.message = "${failureMessages.fanout}" }`);
    if (senders) expect(patterns).toContain(`{ $.message = "${failureMessages.mail}" }`);
  });

  it('has a dashboard', () => {
    prod.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Atende-prod' });
  });

  it('graphs the metrics the functions publish, in the namespace and with the dimensions they publish them', () => {
    const [, dashboard] = resources(prod, 'AWS::CloudWatch::Dashboard')[0] as [string, Json];
    const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const body = JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('')) as Json;
    // A graph's metric: [namespace, name, dimension, value, …, {options}].
    const graphed = (body.widgets as Json[]).flatMap((widget) =>
      ((widget.properties?.metrics ?? []) as unknown[][]).map((metric) => {
        const [namespace, name, ...rest] = metric.filter((part) => typeof part === 'string') as string[];
        const dimensions = Object.fromEntries(rest.flatMap((_, i) => (i % 2 ? [] : [[rest[i], rest[i + 1]]])));
        return JSON.stringify({ namespace, name, dimensions });
      }),
    );
    const published = (name: string, channel?: string) =>
      JSON.stringify({
        namespace: 'Atende/prod',
        name,
        dimensions: channel ? { channel, service: metricService } : { service: metricService },
      });
    for (const channel of ['portal', 'chat']) {
      expect(graphed).toContain(published(metricNames.ticketCreated, channel));
      expect(graphed).toContain(published(metricNames.messagePosted, channel));
      expect(graphed).toContain(published(metricNames.firstResponseMs, channel));
    }
    expect(graphed).toContain(published(metricNames.invitationSent));
    expect(graphed).toContain(published(metricNames.invitationFailed));
  });
});

describe('web app', () => {
  it('serves the app from a private bucket through CloudFront with origin access control, config.json beside it', () => {
    prod.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    prod.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
    // config.json is filled in at deploy time with the two API addresses.
    const [, deployment] = resources(prod, 'Custom::CDKBucketDeployment')[0] ?? [];
    const markers = JSON.stringify(deployment?.Properties.SourceMarkers);
    expect(markers).toContain(JSON.stringify(refTo(httpApiId)));
    if (ws.length) expect(markers).toContain('ApiRealtime');
  });

  it('sends a strict Content-Security-Policy and the other security headers through a response-headers policy', () => {
    const policyOf = (synth: typeof prod) => {
      const [, policy] = byPath(
        synth,
        'AWS::CloudFront::ResponseHeadersPolicy',
        `Atende-${synth === prod ? 'prod' : 'dev'}/Web/SecurityHeaders/Resource`,
      );
      return policy.Properties.ResponseHeadersPolicyConfig as Json;
    };
    const prodPolicy = policyOf(prod);
    const csp = JSON.stringify(prodPolicy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    // With its own origin, the app may connect only to this stack's APIs and evidence bucket.
    expect(csp).toContain(httpApiId);
    expect(csp).toContain(evidenceId);
    expect(csp).not.toContain('*.');
    expect(prodPolicy.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      StrictTransportSecurity: { IncludeSubdomains: true },
    });
    const [, distribution] = resources(prod, 'AWS::CloudFront::Distribution')[0] as [string, Json];
    expect(
      JSON.stringify(distribution.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId),
    ).toContain('WebSecurityHeaders');
    // On CloudFront's own address the APIs name the app, so the app names this region's API and S3 hosts.
    const devCsp = JSON.stringify(policyOf(dev).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(devCsp).toContain('wss://*.execute-api.');
    expect(devCsp).toContain('.amazonaws.com');
  });
});

describe('the chat for host platforms', () => {
  const distribution = (synth: { json: Json }) => resources(synth, 'AWS::CloudFront::Distribution')[0]?.[1] as Json;
  const behavior = (synth: { json: Json }, path: string) =>
    (distribution(synth).Properties.DistributionConfig.CacheBehaviors as Json[]).find((b) => b.PathPattern === path);
  const policyOf = (synth: { json: Json }, id: Json) =>
    synth.json.Resources[id.Ref].Properties.ResponseHeadersPolicyConfig as Json;
  const cspOf = (policy: Json) =>
    JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);

  it("lets only the configured host origins frame /embed, with the app's CSP and no X-Frame-Options, while every other page is framed by nobody", () => {
    const embed = behavior(prod, '/embed');
    const policy = policyOf(prod, embed?.ResponseHeadersPolicyId);
    // The app's own policy (infra/web-security.ts), with the host origins as frame-ancestors.
    expect(cspOf(policy)).toContain(`frame-ancestors ${hosts.join(' ')}`);
    expect(cspOf(policy)).toContain("script-src 'self'");
    expect(cspOf(policy)).toContain(httpApiId);
    expect(policy.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    expect(policy.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ Override: true });
    const app = policyOf(
      prod,
      distribution(prod).Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId,
    );
    expect(cspOf(app)).toContain("frame-ancestors 'none'");
    expect(app.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    // /embed is the file embed.html, named by a viewer-request function.
    const [association] = embed?.FunctionAssociations ?? [];
    expect(association.EventType).toBe('viewer-request');
    const fn = prod.json.Resources[association.FunctionARN['Fn::GetAtt'][0]] as Json;
    expect(fn.Properties.FunctionCode).toContain("event.request.uri = '/embed.html'");
  });

  it('lets no origin frame /embed when context embedOrigins is not set', () => {
    const policy = policyOf(dev, behavior(dev, '/embed')?.ResponseHeadersPolicyId);
    expect(cspOf(policy)).toContain("frame-ancestors 'none'");
    expect(policy.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  });

  it('serves /embed.js under its stable name with a short cache, so hosts pick up fixes within minutes', () => {
    const policy = policyOf(prod, behavior(prod, '/embed.js')?.ResponseHeadersPolicyId);
    expect(policy.CustomHeadersConfig.Items).toContainEqual({
      Header: 'Cache-Control',
      Value: 'public, max-age=300',
      Override: true,
    });
  });
});

describe('template', () => {
  /** Logical ids a resource refers to (Ref, Fn::GetAtt, ${...} in Fn::Sub) or waits for (DependsOn). */
  function dependenciesOf(resource: Json, ids: Set<string>): Set<string> {
    const found = new Set<string>(asList(resource.DependsOn ?? []));
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Ref' && typeof value === 'string') found.add(value);
          else if (key === 'Fn::GetAtt') found.add(String(asList(value as string[])[0]).split('.')[0] ?? '');
          else if (key === 'Fn::Sub') {
            for (const match of JSON.stringify(value).matchAll(/\$\{([A-Za-z0-9]+)/g)) found.add(match[1] ?? '');
          }
          visit(value);
        }
      }
    };
    visit(resource.Properties);
    return new Set([...found].filter((id) => ids.has(id)));
  }

  it('has no circular dependency that CloudFormation would refuse at deploy', () => {
    const all = prod.json.Resources as Record<string, Json>;
    const ids = new Set(Object.keys(all));
    const edges = new Map([...ids].map((id) => [id, dependenciesOf(all[id] as Json, ids)]));
    const [healthId, health] = byPath(
      prod,
      'AWS::Lambda::Function',
      'Atende-prod/Api/PortalFunction/Function/Resource',
    );
    expect(edges.get(healthId)).toContain(health.Properties.Role['Fn::GetAtt'][0]);
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const walk = (id: string, path: string[]) => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(id)), id].join(' → '));
        return;
      }
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) walk(next, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of ids) walk(id, []);
    expect(cycles).toEqual([]);
  });
});

describe('context', () => {
  it('refuses to synthesize a stage other than dev without webOrigin, where links in e-mails point', async () => {
    const context = { ...cdkContext, stage: 'prod', webAssetsDir: webDir, 'aws:cdk:bundling-stacks': [] };
    const synth = run(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: projectRoot,
      env: { ...process.env, CDK_OUTDIR: temporaryDir('atende-cdk-'), CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    await expect(synth).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'context webOrigin is required for stage "prod" (only dev may leave it out): pass -c webOrigin=https://',
      ),
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  const violations = (report: ValidationReport) =>
    report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`),
      ),
    );

  it('finds nothing unacknowledged, error or warning, in either stage', () => {
    expect(violations(prod.report)).toEqual([]);
    expect(violations(dev.report)).toEqual([]);
  });

  it('leaves no warning or error annotation in the synthesized stack', () => {
    expect(prod.messages.map((message) => `${message.path}: ${String(message.data)}`)).toEqual([]);
  });

  it('gives every acknowledged finding a specific written reason', () => {
    expect(prod.acknowledgements.length).toBeGreaterThan(0);
    for (const [rule, reason] of prod.acknowledgements) expect(reason.length, rule).toBeGreaterThanOrEqual(50);
  });
});

/** Imports a bundle as Lambda would (ESM, no node_modules around it) and reports what `handler` is. */
function importInFreshNode(bundle: string, environment: Record<string, string>): Promise<string> {
  const script =
    'const m = await import(process.argv[1]); process.stdout.write(typeof m.handler); process.exit(typeof m.handler === "function" ? 0 : 3);';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(bundle).href], {
      env: { PATH: process.env.PATH ?? '', ...environment },
      cwd: tmpdir(),
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve(code === 0 ? '' : `exit ${code}: ${output.slice(0, 2000)}`));
  });
}

describe('bundles', () => {
  it("builds each function's bundle from its own handler files, and no handler into two functions", () => {
    const functionsOfHandler = new Map<string, string[]>();
    const assets = new Set<string>();
    for (const expected of expectedFunctions) {
      const asset = functionOf(expected)[1].Metadata['aws:asset:path'] as string;
      assets.add(asset);
      const sourceMap = JSON.parse(readFileSync(join(prod.outdir, asset, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      for (const handler of expected.handlers) {
        expect(
          sourceMap.sources.some((source) => source.endsWith(handler)),
          `${expected.id} should be bundled from ${handler}`,
        ).toBe(true);
        functionsOfHandler.set(handler, [...(functionsOfHandler.get(handler) ?? []), expected.id]);
      }
      // Nothing but its own handlers: no other route's handler file is in the bundle.
      const routeHandlers = new Set([...http.map((r) => r.handler), ...ws.map((r) => r.handler), wsAuthorizer.handler]);
      const foreign = sourceMap.sources.filter(
        (source) =>
          [...routeHandlers].some((handler) => source.endsWith(handler)) &&
          !expected.handlers.some((h) => source.endsWith(h)),
      );
      expect(foreign, expected.id).toEqual([]);
    }
    expect([...functionsOfHandler].filter(([, ids]) => ids.length > 1)).toEqual([]);
    expect(assets.size).toBe(expectedFunctions.length);
  });

  it('loads every bundled handler in a fresh Node.js process and finds `handler` there', async () => {
    const failures: string[] = [];
    await forEachLimited(expectedFunctions, 2, async (expected) => {
      const [, fn] = functionOf(expected);
      const variables = fn.Properties.Environment.Variables as Json;
      // Deploy-time references become placeholders; what matters is that nothing throws at import.
      const environment = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : `test-${name}`]),
      );
      const bundle = join(prod.outdir, fn.Metadata['aws:asset:path'], 'index.mjs');
      const problem = await importInFreshNode(bundle, {
        ...environment,
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: expected.id,
      });
      if (problem) failures.push(`${expected.id}: ${problem}`);
    });
    expect(failures).toEqual([]);
  });
});
