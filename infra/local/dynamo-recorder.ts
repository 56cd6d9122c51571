// A recording proxy in front of DynamoDB Local. The local stack points the gateway's functions (and only
// them) at it, so every DynamoDB operation a request path makes — `X-Amz-Target: DynamoDB_20120810.Query`
// — is appended, with its table and index, to a JSON-lines file. The integration tests read the file to
// prove the rule "no Scan on any request path" on real traffic, whatever code sent it.
//
// Requests are forwarded byte for byte (the Host header included: DynamoDB Local does not check SigV4
// signatures, which were made for the proxy's address).
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

export interface DynamoOperation {
  at: string;
  /** `Query`, `GetItem`, `Scan`, … */
  operation: string;
  table?: string;
  index?: string;
}

/** Where a stack started with `dataDir` records its functions' DynamoDB operations. */
export const dynamoOperationsFile = (dataDir: string): string => join(dataDir, 'logs', 'dynamodb-operations.jsonl');

export interface RunningRecorder {
  url: string;
  stop(): Promise<void>;
}

export async function startDynamoRecorder(options: { target: string; file: string }): Promise<RunningRecorder> {
  const target = new URL(options.target);
  mkdirSync(dirname(options.file), { recursive: true });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      appendFileSync(options.file, `${JSON.stringify(operationOf(incoming, body))}\n`);
      forward(target, incoming, body, outgoing);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function operationOf(incoming: IncomingMessage, body: Buffer): DynamoOperation {
  const amzTarget = String(incoming.headers['x-amz-target'] ?? '');
  let input: { TableName?: unknown; IndexName?: unknown } = {};
  try {
    input = JSON.parse(body.toString());
  } catch {
    // Not JSON: the operation name is all there is to record.
  }
  return {
    at: new Date().toISOString(),
    operation: amzTarget.split('.').pop() || `${incoming.method} ${incoming.url}`,
    ...(typeof input.TableName === 'string' ? { table: input.TableName } : {}),
    ...(typeof input.IndexName === 'string' ? { index: input.IndexName } : {}),
  };
}

function forward(target: URL, incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse): void {
  const upstream = request(
    {
      hostname: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', (error) => {
    if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`DynamoDB Local did not answer: ${error.message}`);
  });
  upstream.end(body);
}

/** Every operation recorded in `file` so far (none when nothing was recorded). */
export function readDynamoOperations(file: string): DynamoOperation[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DynamoOperation);
}

/**
 * Throws, listing them, if `file` holds any Scan: the rule "no Scan on any request path" (docs/architecture.md),
 * checked once for a whole test run (test/setup/global.ts). `hint` says where to look next.
 */
export function assertNoScans(file: string, hint: string): void {
  const scans = readDynamoOperations(file).filter((o) => o.operation === 'Scan');
  if (scans.length === 0) return;
  throw new Error(
    [
      `No Scan on any request path, but the functions sent ${scans.length}:`,
      ...scans.map((o) => `  ${o.at} Scan ${o.table ?? '?'}${o.index ? ` (${o.index})` : ''}`),
      hint,
    ].join('\n'),
  );
}
