// The whole local stack: DynamoDB Local, the SES and S3 emulators, the gateway (a child process), the mail that
// SES sets off (smtp.ts) and the demo host platform that embeds the chat (another origin), started in order and
// stopped in reverse. `npm start` (start.ts) and the test harness
// (test/setup/global.ts) both start it here, so both get the same environment and the same request log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localTableName } from '../table.js';
import { dynamoOperationsFile, startDynamoRecorder } from './dynamo-recorder.js';
import { ensureTable, type RunningDynamo, startDynamo } from './dynamodb.js';
import {
  functionEnvironment,
  localBucketName,
  localEmbedOrigins,
  localInboundBucketName,
  localWebOrigins,
  serviceUrls,
} from './environment.js';
import { type GatewayProcessOptions, startGatewayProcess } from './gateway/process.js';
import { startHostDemo } from './host-demo.js';
import { assertPortsFree, type Ports } from './ports.js';
import { stopGroup } from './processes.js';
import { accessOneLiner, accessRecord, asJsonLine, isProblem, oneLiner, requestRecord } from './request-log.js';
import { type RunningS3, startS3 } from './s3.js';
import { type RunningSes, startSes } from './ses.js';
import { startMailFlows } from './smtp.js';

export interface StackOptions {
  ports: Ports;
  dataDir: string;
  /** Keep DynamoDB's data under `dataDir/dynamodb` (npm start); in memory when false (tests). */
  persistent: boolean;
  /** Seconds between runs of each scheduled job. */
  scheduleSeconds: number;
  /** A line for a person: request one-liners and the gateway's own output (npm start). */
  print(line: string): void;
  /** Show every line the gateway prints (npm start), or only the problems (tests). */
  verbose: boolean;
  /**
   * Put the recorder of dynamo-recorder.ts between the functions and DynamoDB Local, so tests can read
   * every operation a request path made (tests; npm start does not record).
   */
  recordDynamoOperations?: boolean;
}

/** What tests receive through `inject('stack')`. */
export interface StackInfo {
  httpUrl: string;
  wsUrl: string;
  sesUrl: string;
  s3Url: string;
  dynamoUrl: string;
  /** The demo host platform (another origin, embedding the chat); absent when its port is 0. */
  hostDemoUrl?: string;
  /** Origins whose pages may frame the chat (`/embed`). */
  embedOrigins: string[];
  tableName: string;
  bucketName: string;
  dataDir: string;
  /** The SMTP listener standing in for SES inbound, and the support address it takes mail for. */
  smtpPort: number;
  supportAddress: string;
  /** `$ATENDE_DATA_DIR/logs/requests.jsonl`: the request log. */
  logFile: string;
  /** `$ATENDE_DATA_DIR/logs/functions.jsonl`: every other line the functions print (diagnostics, metrics). */
  functionLogFile: string;
  /** `$ATENDE_DATA_DIR/logs/access.jsonl`: access lines of the requests the gateway refused by itself. */
  accessLogFile: string;
  /** The environment every function gets (functionEnvironment). */
  env: Record<string, string>;
}

export interface RunningStack extends StackInfo {
  /** Process groups of the child processes (DynamoDB Local, the gateway). */
  processGroups: number[];
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { ports, dataDir } = options;
  await assertPortsFree(ports);
  const logFile = join(dataDir, 'logs', 'requests.jsonl');
  const functionLogFile = join(dataDir, 'logs', 'functions.jsonl');
  const accessLogFile = join(dataDir, 'logs', 'access.jsonl');
  mkdirSync(dirname(logFile), { recursive: true });
  const env = functionEnvironment({ ports, dataDir });
  const urls = serviceUrls(ports);
  const embedOrigins = localEmbedOrigins(ports);
  let hostDemoUrl: string | undefined;

  const stops: (() => Promise<void>)[] = [];
  const processGroups: number[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) {
      await stopOne().catch((error) => options.print(`while stopping: ${(error as Error).message}`));
    }
  };
  try {
    const dynamo: RunningDynamo = await startDynamo({
      port: ports.dynamodb,
      dataDir: options.persistent ? join(dataDir, 'dynamodb') : undefined,
    });
    stops.push(dynamo.stop);
    processGroups.push(dynamo.pid);
    await ensureTable(dynamo.url, env.TABLE_NAME as string);
    // Only the gateway's functions go through the recorder; a test's own setup calls go straight to DynamoDB Local.
    let functionsEnv = env;
    if (options.recordDynamoOperations) {
      const recorder = await startDynamoRecorder({ target: dynamo.url, file: dynamoOperationsFile(dataDir) });
      stops.push(recorder.stop);
      functionsEnv = { ...env, AWS_ENDPOINT_URL_DYNAMODB: recorder.url };
    }
    const ses: RunningSes = await startSes(ports.ses);
    stops.push(ses.stop);
    const s3: RunningS3 = await startS3({
      port: ports.s3,
      directory: join(dataDir, 's3'),
      bucketName: env.BUCKET_NAME as string,
      otherBuckets: [localInboundBucketName],
      webOrigins: localWebOrigins(ports),
    });
    stops.push(s3.stop);
    const gateway = await startGatewayProcess({
      env: { ...functionsEnv, ATENDE_MAIL_VIEWER_URL: ses.url, ATENDE_EMBED_ORIGINS: embedOrigins.join(',') },
      ports,
      scheduleSeconds: options.scheduleSeconds,
      ...gatewayOutput({ ...options, logFile, functionLogFile, accessLogFile }),
    });
    stops.push(() => stopGroup(gateway));
    processGroups.push(gateway.pid);
    stops.push(...(await startMailFlows({ ses, gateway, port: ports.smtp, s3Url: urls.s3Url, env })));
    if (ports.hostDemo) {
      const hostDemo = await startHostDemo({
        port: ports.hostDemo,
        atendeUrl: urls.httpUrl,
        platformSecret: env.PLATFORM_SECRET as string,
      });
      stops.push(hostDemo.close);
      hostDemoUrl = hostDemo.url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    httpUrl: urls.httpUrl,
    wsUrl: urls.wsUrl,
    sesUrl: urls.sesUrl,
    s3Url: urls.s3Url,
    dynamoUrl: urls.dynamoUrl,
    ...(hostDemoUrl ? { hostDemoUrl } : {}),
    embedOrigins,
    tableName: env.TABLE_NAME ?? localTableName,
    bucketName: env.BUCKET_NAME ?? localBucketName,
    smtpPort: ports.smtp,
    supportAddress: env.SUPPORT_ADDRESS as string,
    dataDir,
    logFile,
    functionLogFile,
    accessLogFile,
    env,
    processGroups,
    stop,
  };
}

/**
 * The gateway's output is its functions' logs, as CloudWatch Logs would keep them: request lines go to the
 * request log, every other line (diagnostics, metrics, the gateway's own reports) to the function log, and
 * a person sees a one-liner per request and whatever else `verbose` or a problem calls for. The gateway's
 * own access lines (requests it refused before any function ran) go to the access log.
 */
export function gatewayOutput(
  options: Pick<StackOptions, 'print' | 'verbose'> & {
    logFile: string;
    functionLogFile: string;
    accessLogFile: string;
  },
): Pick<GatewayProcessOptions, 'onStdout' | 'onStderr'> {
  return {
    onStdout(line) {
      const access = accessRecord(line);
      if (access) {
        appendFileSync(options.accessLogFile, `${JSON.stringify(access)}\n`);
        if (options.verbose) options.print(accessOneLiner(access));
        return;
      }
      const record = requestRecord(line);
      if (record) {
        appendFileSync(options.logFile, `${line}\n`);
        if (options.verbose) options.print(oneLiner(record));
        return;
      }
      appendFileSync(options.functionLogFile, `${asJsonLine(line, 'stdout')}\n`);
      if (options.verbose || isProblem(line)) options.print(line);
    },
    onStderr(line) {
      appendFileSync(options.functionLogFile, `${asJsonLine(line, 'stderr')}\n`);
      options.print(line);
    },
  };
}
