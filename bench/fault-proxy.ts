// A small HTTP proxy in front of DynamoDB Local that sees every round trip a process makes. The gateway
// (and so every handler in it) is pointed here through AWS_ENDPOINT_URL_DYNAMODB, nothing in the code
// knows. It serves two purposes:
// - counting: each request's `X-Amz-Target` names the operation (GetItem, Query, TransactWriteItems …),
//   so the bench reports round trips per route and proves none is a Scan;
// - faults: a rule answers matching requests with DynamoDB's own error (a ThrottlingException, a 500
//   InternalServerError) or drops the connection, so tests see what the SDK's retries and our error
//   mapping do when DynamoDB misbehaves.
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Operation {
  /** Position in the log, from 0. */
  seq: number;
  /** `GetItem`, `Query`, `TransactWriteItems`, … */
  name: string;
  /** performance.now() when the request arrived and when its answer was sent. */
  start: number;
  end: number;
  status: number;
  /** The fault answered instead of DynamoDB, if any. */
  fault?: Fault;
  /** The request body (DynamoDB JSON), for matching and for replaying the operation. */
  body: string;
}

export type Fault = 'throttle' | 'unavailable' | 'reset';

export interface FaultRule {
  fault: Fault;
  /** Which requests; all of them when absent. */
  match?: (request: { name: string; body: string }) => boolean;
  /** How many matching requests get the fault; unlimited when absent. */
  times?: number;
}

export interface DynamoProxy {
  url: string;
  port: number;
  /** Every request since the start (or the last `reset`), in arrival order. */
  readonly operations: readonly Operation[];
  /** Operations with `seq >= from`. */
  since(from: number): Operation[];
  /** The `seq` the next request will get. */
  mark(): number;
  /** Requests that arrived and have not been answered yet. */
  inFlight(): number;
  /** Adds a fault rule; the returned function removes it. */
  inject(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Forgets the log (long runs keep memory bounded). */
  reset(): void;
  close(): Promise<void>;
}

const errorBodies: Record<Exclude<Fault, 'reset'>, { status: number; type: string; message: string }> = {
  throttle: { status: 400, type: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  unavailable: { status: 500, type: 'InternalServerError', message: 'Internal server error (injected)' },
};

export async function startDynamoProxy(target: string, port = 0): Promise<DynamoProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let operations: Operation[] = [];
  let offset = 0;
  let pending = 0;
  const rules = new Set<FaultRule & { used: number }>();

  const server = createServer((req, res) => {
    pending++;
    res.once('close', () => pending--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation: Operation = {
      seq: offset + operations.length,
      name: target.slice(target.indexOf('.') + 1) || `${req.method} ${req.url}`,
      start: performance.now(),
      end: Number.NaN,
      status: 0,
      body: body.toString('utf8'),
    };
    operations.push(operation);
    const finish = (status: number) => {
      operation.status = status;
      operation.end = performance.now();
    };

    const rule = [...rules].find(
      (r) => (r.times === undefined || r.used < r.times) && (!r.match || r.match(operation)),
    );
    if (rule) {
      rule.used++;
      operation.fault = rule.fault;
      if (rule.fault === 'reset') {
        finish(0);
        req.socket.destroy();
        return;
      }
      const { status, type, message } = errorBodies[rule.fault];
      const payload = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(payload)),
        'x-amzn-requestid': `injected-${operation.seq}`,
      });
      res.end(payload, () => finish(status));
      return;
    }

    const forward = request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => finish(answer.statusCode ?? 502));
      },
    );
    forward.on('error', (error) => {
      finish(502);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    forward.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    get operations() {
      return operations;
    },
    since: (from) => operations.slice(Math.max(0, from - offset)),
    mark: () => offset + operations.length,
    inFlight: () => pending,
    inject(rule) {
      const entry = { ...rule, used: 0 };
      rules.add(entry);
      return () => rules.delete(entry);
    },
    clearFaults: () => rules.clear(),
    reset() {
      offset += operations.length;
      operations = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** `Query×1, TransactWriteItems×1`: what a list of operations did, in first-seen order. */
export function describeOperations(list: readonly Pick<Operation, 'name'>[]): string {
  const counts = new Map<string, number>();
  for (const { name } of list) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name}×${count}`).join(', ') || 'none';
}
