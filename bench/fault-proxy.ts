// A small HTTP proxy in front of an AWS service's local stand-in (DynamoDB Local, the SES emulator) that
// sees every round trip a process makes. The gateway (and so every handler in it) is pointed here through
// AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SESV2; nothing in the code knows. It serves two purposes:
// - counting: each request is logged with its operation (DynamoDB's `X-Amz-Target`: GetItem, Query,
//   TransactWriteItems …), so the bench reports round trips per route and proves none is a Scan;
// - faults: a rule answers matching requests with the service's own error (a ThrottlingException, a 500)
//   or drops the connection, so tests see what the SDK's retries and our error mapping do when a
//   dependency misbehaves.
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { globalIndexes } from '../infra/table.js';

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
  /** Capacity units the service reported, when the proxy asked for them (`measureCapacity`). */
  capacity?: Capacity;
}

/** DynamoDB read and write capacity units (on-demand: request units), table and indexes together. */
export interface Capacity {
  read: number;
  write: number;
}

export type Fault = 'throttle' | 'unavailable' | 'reset';

/** How a service names its operations and words its errors. */
export interface Protocol {
  operation(request: IncomingMessage): string;
  error(fault: Exclude<Fault, 'reset'>): { status: number; headers: Record<string, string>; body: string };
  /** The request asking the service to report what it consumed (undefined: it cannot, or already asks). */
  askCapacity?(name: string, body: string): string | undefined;
  /** What the answer reports as consumed. */
  capacityOf?(name: string, answer: string, request: string): Capacity | undefined;
}

const dynamodbReads = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const dynamodbDataOperations = new Set([
  ...dynamodbReads,
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** DynamoDB's JSON 1.0 protocol: the operation in `X-Amz-Target`, the error type in the body's `__type`. */
export const dynamodbProtocol: Protocol = {
  operation(request) {
    const target = String(request.headers['x-amz-target'] ?? '');
    return target.slice(target.indexOf('.') + 1) || `${request.method} ${request.url}`;
  },
  error(fault) {
    const [status, type, message] =
      fault === 'throttle'
        ? [400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.']
        : [500, 'InternalServerError', 'Internal server error (injected)'];
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
    };
  },
  // DynamoDB Local computes ConsumedCapacity as DynamoDB does for single-item operations and Queries (item size
  // rounded up to 4 KB for reads and 1 KB for writes, half for eventually consistent reads, every index a write
  // touches), so their request units are measured on the real items. For TransactWriteItems and BatchWriteItem it
  // under-reports (10 units for a 9-item transaction that DynamoDB bills 60), so those are counted from the request
  // by DynamoDB's rules (writeUnitsOf).
  askCapacity(name, body) {
    if (!dynamodbDataOperations.has(name)) return undefined;
    const input = JSON.parse(body) as { ReturnConsumedCapacity?: string };
    if (input.ReturnConsumedCapacity && input.ReturnConsumedCapacity !== 'NONE') return undefined;
    return JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' });
  },
  capacityOf(name, answer, request) {
    if (name === 'TransactWriteItems' || name === 'BatchWriteItem')
      return { read: 0, write: writeUnitsOf(name, request) };
    let consumed: unknown;
    try {
      consumed = (JSON.parse(answer) as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    } catch {
      return undefined;
    }
    if (consumed === undefined) return undefined;
    const units = (Array.isArray(consumed) ? consumed : [consumed]).reduce(
      (sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0),
      0,
    );
    if (!dynamodbReads.has(name)) return { read: 0, write: units };
    // A Query that finds nothing still costs DynamoDB's minimum read; DynamoDB Local reports 0.
    if ((name === 'Query' || name === 'Scan') && units === 0)
      return { read: (JSON.parse(request) as { ConsistentRead?: boolean }).ConsistentRead ? 1 : 0.5, write: 0 };
    return { read: units, write: 0 };
  },
};

// biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON.
type AttributeValue = any;

/** An item's size as DynamoDB counts it: names and values in bytes (docs: "Item sizes and formats"). */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum: number, s: string) => sum + Buffer.byteLength(s), 0);
  if ('NS' in value) return value.NS.reduce((sum: number, n: string) => sum + numberSize(n), 0);
  if ('L' in value) return 3 + value.L.reduce((sum: number, v: AttributeValue) => sum + 1 + valueSize(v), 0);
  if ('M' in value) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

const numberSize = (n: string) => Math.ceil(n.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;

/**
 * Write units of a TransactWriteItems or BatchWriteItem request: each written item rounded up to 1 KB, once for the
 * table and once for every global index its attributes place it in (all project every attribute), doubled in a
 * transaction. An Update, Delete or ConditionCheck is counted on what the request holds (its key and new values),
 * at least 1 KB: a lower bound, as the stored item is not in the request.
 */
export function writeUnitsOf(name: string, body: string): number {
  // biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON.
  const input: any = JSON.parse(body);
  const factor = name === 'TransactWriteItems' ? 2 : 1;
  const writes: { item: Record<string, AttributeValue>; indexed: boolean }[] =
    name === 'TransactWriteItems'
      ? // biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON.
        input.TransactItems.map((entry: any) => {
          if (entry.Put) return { item: entry.Put.Item, indexed: true };
          const action = entry.Update ?? entry.Delete ?? entry.ConditionCheck;
          return { item: { ...action.Key, ...action.ExpressionAttributeValues }, indexed: false };
        })
      : // biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON.
        Object.values(input.RequestItems).flatMap((requests: any) =>
          // biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON.
          requests.map((request: any) =>
            request.PutRequest
              ? { item: request.PutRequest.Item, indexed: true }
              : { item: request.DeleteRequest.Key, indexed: false },
          ),
        );
  return writes.reduce((sum, { item, indexed }) => {
    const units = Math.max(1, Math.ceil(itemSize(item) / 1024));
    const indexes = indexed ? globalIndexes.filter((g) => item[g.partitionKey] !== undefined).length : 0;
    return sum + units * (1 + indexes) * factor;
  }, 0);
}

/** SES v2's REST-JSON protocol: the operation is the method and path, the error type in `x-amzn-ErrorType`. */
export const sesv2Protocol: Protocol = {
  operation: (request) => `${request.method} ${(request.url ?? '').split('?')[0]}`,
  error(fault) {
    const [status, type] = fault === 'throttle' ? [429, 'TooManyRequestsException'] : [500, 'InternalFailure'];
    return {
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
      body: JSON.stringify({ message: `${type} (injected)` }),
    };
  },
};

export interface FaultRule {
  fault: Fault;
  /** Which requests; all of them when absent. */
  match?: (request: { name: string; body: string }) => boolean;
  /** How many matching requests get the fault; unlimited when absent. */
  times?: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  /** Every request since the start (or the last `reset`), in arrival order. */
  readonly operations: readonly Operation[];
  /** Operations with `seq >= from`. */
  since(from: number): Operation[];
  /** The `seq` the next request will get. */
  mark(): number;
  /** Holds every request this long before passing it on: a network between caller and service. */
  setLatency(ms: number): void;
  /** Asks the service to report consumed capacity on every request from now on (while `on`), into `capacity`. */
  measureCapacity(on: boolean): void;
  /** Requests that arrived and have not been answered yet. */
  inFlight(): number;
  /** Adds a fault rule; the returned function removes it. */
  inject(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Forgets the log (long runs keep memory bounded). */
  reset(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, protocol: Protocol, port = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let operations: Operation[] = [];
  let offset = 0;
  let pending = 0;
  let latencyMs = 0;
  let capacity = false;
  const rules = new Set<FaultRule & { used: number }>();

  const server = createServer((req, res) => {
    pending++;
    res.once('close', () => pending--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const operation: Operation = {
      seq: offset + operations.length,
      name: protocol.operation(req),
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
      const { status, headers, body: payload } = protocol.error(rule.fault);
      res.writeHead(status, {
        ...headers,
        'content-length': String(Buffer.byteLength(payload)),
        'x-amzn-requestid': `injected-${operation.seq}`,
      });
      res.end(payload, () => finish(status));
      return;
    }

    if (latencyMs > 0) setTimeout(() => pass(req, res, body, operation, finish), latencyMs);
    else pass(req, res, body, operation, finish);
  }

  function pass(
    req: IncomingMessage,
    res: ServerResponse,
    original: Buffer,
    operation: Operation,
    finish: (status: number) => void,
  ): void {
    const asked = capacity ? protocol.askCapacity?.(operation.name, operation.body) : undefined;
    const body = asked === undefined ? original : Buffer.from(asked);
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    const forward = request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (answer) => {
        if (asked === undefined || !protocol.capacityOf) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => finish(answer.statusCode ?? 502));
          return;
        }
        // Read whole, to take the capacity out; the caller gets the answer as the service sent it.
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const payload = Buffer.concat(chunks);
          const measured = protocol.capacityOf?.(operation.name, payload.toString('utf8'), operation.body);
          if (measured) operation.capacity = measured;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(payload, () => finish(answer.statusCode ?? 502));
        });
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
    setLatency(ms) {
      latencyMs = ms;
    },
    measureCapacity(on) {
      capacity = on;
    },
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

/** Anything else over HTTP (the @connections API): the operation is the method and the path. */
export const httpProtocol: Protocol = {
  operation: (request) => `${request.method} ${(request.url ?? '').split('?')[0]}`,
  error: (fault) => ({
    status: fault === 'throttle' ? 429 : 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: `${fault} (injected)` }),
  }),
};

export const startDynamoProxy = (target: string, port = 0) => startFaultProxy(target, dynamodbProtocol, port);
export const startSesProxy = (target: string, port = 0) => startFaultProxy(target, sesv2Protocol, port);

/** A key with its ids left out: `TICKET#01J…` → `TICKET#…`, `SUB#ticket#01J…` → `SUB#ticket#…`. */
const keyShape = (key: string): string =>
  key
    .split('#')
    .map((part, i) => (i === 0 || /^[A-Z_]+$|^[a-z]+$/.test(part) ? part : '…'))
    .join('#');

/** One operation in a line: `Query gsi2 TICKETS#GROUP#…`, `GetItem COUNTER TICKET_NUMBER`, `TransactWriteItems ×7`. */
export function describeOperation(operation: Pick<Operation, 'name' | 'body'>): string {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON.
    const input: any = JSON.parse(operation.body);
    if (Array.isArray(input.TransactItems)) return `${operation.name} ×${input.TransactItems.length}`;
    const item = input.Key ?? input.Item;
    const key = item ? [item.pk?.S, item.sk?.S].filter(Boolean).map(keyShape).join(' ') : '';
    const values = Object.values(input.ExpressionAttributeValues ?? {}) as { S?: string }[];
    const partition = input.KeyConditionExpression ? keyShape(values[0]?.S ?? '') : '';
    return [operation.name, input.IndexName, key || partition].filter(Boolean).join(' ');
  } catch {
    return operation.name;
  }
}

/**
 * The per-request principal check (shared/auth/current-principal.ts): the consistent Query of the caller's own
 * partition that every signed-in request and frame makes before its own work.
 */
export const isPrincipalCheck = (operation: Pick<Operation, 'name' | 'body'>): boolean =>
  describeOperation(operation) === 'Query USER#…';

/** `Query×1, TransactWriteItems×1`: what a list of operations did, in first-seen order. */
export function describeOperations(list: readonly Pick<Operation, 'name'>[]): string {
  const counts = new Map<string, number>();
  for (const { name } of list) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name}×${count}`).join(', ') || 'none';
}
