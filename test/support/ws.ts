// A real WebSocket client for tests: connect with a query string, send JSON frames, await the frame
// that matches a predicate. Every wait has a deadline, so a missing frame fails the test instead of hanging.
//
//   const ws = await connectWs({ ticket });
//   ws.send({ action: 'ping', requestId: 'r1' });
//   const pong = await ws.next((f) => f.type === 'pong');
import { inject } from 'vitest';
import WebSocket from 'ws';
import { serverFrameViolation } from './contract.js';

// biome-ignore lint/suspicious/noExplicitAny: frames are JSON a test reads freely.
export type Frame = any;

export interface WsClient {
  socket: WebSocket;
  /** Every frame received so far, parsed as JSON when it is JSON (else the text). */
  frames: Frame[];
  send(frame: unknown): void;
  /** Sends text or bytes as they are (not JSON-encoded). */
  sendRaw(data: string | Buffer): void;
  /** The first frame not yet taken by `next` that matches; waits for it up to `timeoutMs`. */
  next(predicate?: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves with the close code and reason once the connection is closed (by either side). */
  closed: Promise<{ code: number; reason: string }>;
  close(code?: number): Promise<{ code: number; reason: string }>;
}

export interface ConnectOptions {
  headers?: Record<string, string>;
  /** Defaults to the stack's WebSocket URL. */
  url?: string;
  timeoutMs?: number;
}

/** Refused during the upgrade: `status` is the HTTP status API Gateway answered. */
export class WsRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`WebSocket upgrade refused with ${status}: ${body}`);
    this.name = 'WsRefused';
  }
}

function urlWith(base: string, query: string | Record<string, string>): string {
  const search = typeof query === 'string' ? query.replace(/^\?/, '') : new URLSearchParams(query).toString();
  return search ? `${base}/?${search}` : base;
}

export function connectWs(
  query: string | Record<string, string> = {},
  options: ConnectOptions = {},
): Promise<WsClient> {
  const socket = new WebSocket(urlWith(options.url ?? inject('stack').wsUrl, query), { headers: options.headers });
  const frames: Frame[] = [];
  const violations: string[] = [];
  const taken = new Set<number>();
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters) wake();
    });
  });
  socket.on('message', (data, isBinary) => {
    const text = data.toString();
    let frame: Frame = isBinary ? data : text;
    if (!isBinary) {
      try {
        frame = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
    }
    frames.push(frame);
    // Every frame Atende's WebSocket API sends is held to the committed reference (docs/realtime.schema.json);
    // a fixture gateway (`options.url`) speaks its own frames.
    const violation = options.url === undefined ? serverFrameViolation(frame) : undefined;
    if (violation) violations.push(violation);
    for (const wake of waiters) wake();
  });

  const client: WsClient = {
    socket,
    frames,
    closed,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (data) => socket.send(data),
    next(predicate = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (violations.length > 0) {
            done();
            reject(new Error(violations.join('\n')));
            return;
          }
          const index = frames.findIndex((f, i) => !taken.has(i) && predicate(f));
          if (index >= 0) {
            taken.add(index);
            done();
            resolve(frames[index]);
          } else if (socket.readyState === WebSocket.CLOSED) {
            done();
            reject(new Error(`connection closed before a matching frame arrived; frames: ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching frame within ${timeoutMs} ms; frames: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close(code = 1000) {
      if (socket.readyState !== WebSocket.CLOSED) socket.close(code);
      return closed;
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('WebSocket did not open in time'));
    }, options.timeoutMs ?? 10_000);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(client);
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        clearTimeout(timer);
        reject(new WsRefused(res.statusCode ?? 0, body));
      });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Connects expecting the upgrade to be refused; resolves with the refusal (fails if it opens). */
export async function refusedWs(query: string | Record<string, string> = {}, options: ConnectOptions = {}) {
  try {
    const client = await connectWs(query, options);
    await client.close();
  } catch (error) {
    if (error instanceof WsRefused) return error;
    throw error;
  }
  throw new Error('the WebSocket connection was accepted');
}
