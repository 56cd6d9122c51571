import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertNoScans,
  dynamoOperationsFile,
  type RunningRecorder,
  readDynamoOperations,
  startDynamoRecorder,
} from '../../../../infra/local/dynamo-recorder.js';
import { dynamoClient } from '../../../../infra/local/dynamodb.js';

// A stand-in for DynamoDB Local: answers every operation with an empty result and remembers what came in.
let upstream: Server;
let received: Array<{ target: string; body: string }>;
let recorder: RunningRecorder;
let dataDir: string;

beforeEach(async () => {
  received = [];
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ target: String(req.headers['x-amz-target']), body });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  dataDir = mkdtempSync(join(tmpdir(), 'recorder-'));
  recorder = await startDynamoRecorder({
    target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    file: dynamoOperationsFile(dataDir),
  });
});

afterEach(async () => {
  await recorder.stop();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the DynamoDB operation recorder', () => {
  it('passes requests through unchanged and records each operation with its table and index', async () => {
    const client = dynamoClient(recorder.url);
    const query = await client.send(
      new QueryCommand({
        TableName: 'atende',
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'TICKETS#GROUP#G1' } },
      }),
    );
    expect(query.Count).toBe(0);
    await client.send(new ScanCommand({ TableName: 'atende' }));
    client.destroy();

    expect(received.map((r) => r.target)).toEqual(['DynamoDB_20120810.Query', 'DynamoDB_20120810.Scan']);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ IndexName: 'gsi2' });
    expect(readDynamoOperations(dynamoOperationsFile(dataDir))).toEqual([
      { at: expect.any(String), operation: 'Query', table: 'atende', index: 'gsi2' },
      { at: expect.any(String), operation: 'Scan', table: 'atende' },
    ]);
  });

  it('reads no operations from a stack that recorded none', () => {
    expect(readDynamoOperations(join(dataDir, 'nothing-here.jsonl'))).toEqual([]);
  });

  it("fails the run's check for a Scan, naming it, and passes one without", async () => {
    const client = dynamoClient(recorder.url);
    const file = dynamoOperationsFile(dataDir);
    await client.send(new QueryCommand({ TableName: 'atende', KeyConditionExpression: 'pk = :pk' }));
    expect(() => assertNoScans(file, 'see the request log')).not.toThrow();
    await client.send(new ScanCommand({ TableName: 'atende', IndexName: 'gsi1' }));
    client.destroy();
    expect(() => assertNoScans(file, 'see the request log')).toThrow(
      /the functions sent 1:\n {2}\S+ Scan atende \(gsi1\)\nsee the request log$/,
    );
  });
});
