// The stack `npm run bench` and `npm run load` run against: the same parts as `npm start` (DynamoDB Local
// in memory, the SES and S3 emulators, the local gateway as a child process) on free ports with a fresh
// data directory, except that the gateway reaches DynamoDB through the counting proxy and runs no scheduled
// jobs, so every round trip the proxy sees belongs to the request being measured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningDynamo, startDynamo } from '../infra/local/dynamodb.js';
import { functionEnvironment, localBucketName, localWebOrigins } from '../infra/local/environment.js';
import { freePorts, type Ports } from '../infra/local/ports.js';
import { startS3 } from '../infra/local/s3.js';
import { startSes } from '../infra/local/ses.js';
import { localTableName } from '../infra/table.js';
import { type FaultProxy, startDynamoProxy } from './fault-proxy.js';
import { type GatewayProcess, startGatewayProcess } from './gateway.js';

export interface BenchStack {
  gateway: GatewayProcess;
  proxy: FaultProxy;
  /** DynamoDB Local itself, not through the proxy. */
  dynamoUrl: string;
  /** The environment of this process: the functions' own, with DynamoDB reached directly. */
  env: Record<string, string>;
  /** Where the gateway records every invocation (infra/local/lambda.ts `Invocation`, one JSON line each). */
  invocationsFile: string;
  /** Calls `listener` with every line the functions log, until the returned function is called. */
  onFunctionLine(listener: (line: string) => void): () => void;
  stop(): Promise<void>;
}

export async function startBenchStack(options: { print(line: string): void }): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atende-bench-'));
  const ports: Ports = await freePorts();
  const stops: (() => Promise<void>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) {
      await stopOne().catch((error: Error) => options.print(`while stopping: ${error.message}`));
    }
  };
  try {
    const dynamo: RunningDynamo = await startDynamo({ port: ports.dynamodb });
    stops.push(dynamo.stop);
    const ses = await startSes(ports.ses);
    stops.push(ses.stop);
    const s3 = await startS3({
      port: ports.s3,
      directory: join(dataDir, 's3'),
      bucketName: localBucketName,
      webOrigins: localWebOrigins(ports),
    });
    stops.push(s3.stop);
    const proxy = await startDynamoProxy(dynamo.url);
    stops.push(proxy.close);
    const invocationsFile = join(dataDir, 'invocations.jsonl');
    const lineListeners = new Set<(line: string) => void>();
    const gateway = await startGatewayProcess({
      ports: { ...ports, dynamodb: proxy.port },
      baseEnv: { ATENDE_INVOCATIONS_FILE: invocationsFile },
      onStdout: (line) => {
        for (const listener of lineListeners) listener(line);
      },
      dataDir,
      tableName: localTableName,
      scheduleSeconds: 0,
      onLine: (line) => {
        // The request log is the functions' normal output; only problems interest a person here.
        if (/"level":"(ERROR|WARN)"|Error|failed/.test(line) && !line.includes('"route"')) options.print(line);
      },
    });
    stops.push(gateway.stop);
    proxy.reset();
    const env = functionEnvironment({ ports, dataDir, tableName: localTableName });
    Object.assign(process.env, env);
    return {
      gateway,
      proxy,
      dynamoUrl: dynamo.url,
      env,
      invocationsFile,
      onFunctionLine(listener) {
        lineListeners.add(listener);
        return () => lineListeners.delete(listener);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
