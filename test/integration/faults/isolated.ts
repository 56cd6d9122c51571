// A gateway of the test file's own, beside the shared test stack: the same gateway code and the same
// DynamoDB Local, SES and S3 emulators, but reaching DynamoDB and SES through fault proxies, with a table of
// its own (so no other file's requests or scheduled jobs touch what this file checks) and a process this
// file may crash and restart. People made with `world` land in that table: this module points the test
// process at it too, and reads it directly (no proxy) to check what was written. Behind the DynamoDB fault
// proxy, the run's recorder logs what the functions send, for the run's one Scan check (test/setup/global.ts).
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, inject } from 'vitest';
import { type FaultProxy, startDynamoProxy, startSesProxy } from '../../../bench/fault-proxy.js';
import { type GatewayProcess, gatewayPorts, portOf, startGatewayProcess } from '../../../bench/gateway.js';
import {
  dynamoOperationsFile,
  type RunningRecorder,
  startDynamoRecorder,
} from '../../../infra/local/dynamo-recorder.js';
import { dynamoClient } from '../../../infra/local/dynamodb.js';
import { type RequestRecord, requestRecord } from '../../../infra/local/request-log.js';

export interface Isolated {
  gateway: GatewayProcess;
  urls: { httpUrl: string; wsUrl: string };
  /** Every DynamoDB request the gateway's functions make goes through here. */
  dynamo: FaultProxy;
  /** Every SES request the gateway's functions make goes through here. */
  ses: FaultProxy;
  tableName: string;
  /** Request log records the gateway printed so far (one per HTTP request and WebSocket frame). */
  records: RequestRecord[];
  /** Every other line it printed (its functions' own log lines, e.g. 'mail send failed'). */
  output: string[];
}

/**
 * Starts the isolated gateway before the file's tests and stops it after; the returned object is filled
 * in by then. `scheduleSeconds` 0 keeps the scheduled jobs (the outbox) from running; `env` overrides the
 * functions' settings.
 */
export function useIsolatedGateway(options: { scheduleSeconds?: number; env?: Record<string, string> } = {}): Isolated {
  const isolated = { records: [] as RequestRecord[], output: [] as string[] } as Isolated;
  let previousTable: string | undefined;
  let recorder: RunningRecorder | undefined;
  beforeAll(async () => {
    const stack = inject('stack');
    recorder = await startDynamoRecorder({ target: stack.dynamoUrl, file: dynamoOperationsFile(stack.dataDir) });
    isolated.dynamo = await startDynamoProxy(recorder.url);
    isolated.ses = await startSesProxy(stack.sesUrl);
    isolated.tableName = `atende-isolated-${ulid().toLowerCase()}`;
    previousTable = process.env.TABLE_NAME;
    process.env.TABLE_NAME = isolated.tableName;
    isolated.gateway = await startGatewayProcess({
      ports: await gatewayPorts({ dynamodb: isolated.dynamo.port, ses: isolated.ses.port, s3: portOf(stack.s3Url) }),
      dataDir: stack.dataDir,
      tableName: isolated.tableName,
      baseEnv: stack.env,
      scheduleSeconds: options.scheduleSeconds ?? 0,
      env: options.env,
      onLine(line) {
        const record = requestRecord(line);
        if (record) isolated.records.push(record);
        else isolated.output.push(line);
      },
    });
    isolated.urls = { httpUrl: isolated.gateway.httpUrl, wsUrl: isolated.gateway.wsUrl };
  });
  afterAll(async () => {
    await isolated.gateway?.stop();
    await Promise.all([isolated.dynamo?.close(), isolated.ses?.close()]);
    await recorder?.stop();
    if (previousTable !== undefined) process.env.TABLE_NAME = previousTable;
    if (isolated.tableName) {
      const client = dynamoClient(inject('stack').dynamoUrl);
      await client.send(new DeleteTableCommand({ TableName: isolated.tableName })).finally(() => client.destroy());
    }
  });
  return isolated;
}
