// The whole local stack: DynamoDB Local, the SES and S3 emulators and the gateway (a child process),
// started in order and stopped in reverse. `npm start` (start.ts) and the test harness
// (test/setup/global.ts) both start it here, so both get the same environment and the same request log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localTableName } from '../table.js';
import { dynamoOperationsFile, startDynamoRecorder } from './dynamo-recorder.js';
import { ensureTable, type RunningDynamo, startDynamo } from './dynamodb.js';
import { functionEnvironment, localBucketName, localWebOrigins, serviceUrls } from './environment.js';
import { projectRoot } from './paths.js';
import { assertPortsFree, type Ports } from './ports.js';
import { forEachLine, type GroupChild, spawnGroup, stopGroup } from './processes.js';
import { isProblem, oneLiner, requestRecord } from './request-log.js';
import { type RunningS3, startS3 } from './s3.js';
import { type RunningSes, startSes } from './ses.js';

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
  tableName: string;
  bucketName: string;
  dataDir: string;
  /** `$ATENDE_DATA_DIR/logs/requests.jsonl`. */
  logFile: string;
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
  // This process talks to DynamoDB Local too; Lambda's Node.js 22 would not warn, so neither do we.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await assertPortsFree(ports);
  const logFile = join(dataDir, 'logs', 'requests.jsonl');
  mkdirSync(dirname(logFile), { recursive: true });
  const env = functionEnvironment({ ports, dataDir });
  const urls = serviceUrls(ports);

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
      webOrigins: localWebOrigins(ports),
    });
    stops.push(s3.stop);
    const gateway = await startGatewayProcess({ ...options, env: functionsEnv, logFile, mailViewerUrl: ses.url });
    stops.push(() => stopGroup(gateway));
    processGroups.push(gateway.pid);
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
    tableName: env.TABLE_NAME ?? localTableName,
    bucketName: env.BUCKET_NAME ?? localBucketName,
    dataDir,
    logFile,
    env,
    processGroups,
    stop,
  };
}

// A Lambda function sees only its own environment, not the shell's (no AWS_PROFILE, no stray endpoints).
const systemVariables = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'SYSTEMROOT'];

async function startGatewayProcess(
  options: StackOptions & { env: Record<string, string>; logFile: string; mailViewerUrl: string },
): Promise<GroupChild> {
  const base = Object.fromEntries(
    systemVariables.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const child = spawnGroup(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'infra', 'local', 'gateway-main.ts')],
    {
      cwd: projectRoot,
      stdin: 'ignore',
      ipc: true,
      env: {
        ...base,
        ...options.env,
        HTTP_PORT: String(options.ports.http),
        WS_PORT: String(options.ports.ws),
        ATENDE_SCHEDULE_SECONDS: String(options.scheduleSeconds),
        ATENDE_MAIL_VIEWER_URL: options.mailViewerUrl,
      },
    },
  );
  pipeGatewayOutput(child, options);
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the gateway did not start within 60 s')), 60_000);
      child.on('message', (message: { kind?: string; error?: string }) => {
        if (message.kind === 'ready') resolve();
        if (message.kind === 'failed') reject(new Error(`the gateway did not start: ${message.error}`));
      });
      child.once('exit', (code) => reject(new Error(`the gateway exited with code ${code} while starting`)));
    });
  } catch (error) {
    await stopGroup(child);
    throw error;
  } finally {
    clearTimeout(timer);
    child.removeAllListeners('message');
  }
  return child;
}

/** The gateway's stdout is its functions' logs: request lines go to the request log, the rest to a person. */
function pipeGatewayOutput(child: GroupChild, options: StackOptions & { logFile: string }): void {
  forEachLine(child.stdout, (line) => {
    const record = requestRecord(line);
    if (record) {
      appendFileSync(options.logFile, `${line}\n`);
      if (options.verbose) options.print(oneLiner(record));
    } else if (options.verbose || isProblem(line)) {
      options.print(line);
    }
  });
  forEachLine(child.stderr, (line) => options.print(line));
}
