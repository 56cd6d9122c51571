// Clients of the local gateway for the bench, the load test and the fault tests: plain fetch for HTTP, and
// a WebSocket client that does what the web app does (a one-time connection ticket from
// `POST /realtime/ticket`, then `?ticket=`), matches replies to requests by `requestId` and keeps every
// push it receives. Built for hundreds of clients in one process: no per-frame searching.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { mapLimited } from '../shared/pool.js';

// biome-ignore lint/suspicious/noExplicitAny: frames and bodies are JSON, read freely.
export type Json = any;

export interface HttpAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body, headers: response.headers };
}

/** Throws with the answer when the status is not the expected one (setup steps, not assertions). */
export function expectStatus(answer: HttpAnswer, status: number, what: string): Json {
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** Opens a ticket with `POST /tickets` (a setup step: throws unless 201) and returns it. */
export async function openTicket(
  baseUrl: string,
  token: string,
  body: { groupId: string; topic: string; subject: string; description: string },
): Promise<Json> {
  return expectStatus(await call(baseUrl, 'POST', '/tickets', { token, body }), 201, 'POST /tickets').ticket;
}

/** Every event of a ticket's timeline, oldest first, through the public API (all pages). */
export async function storedTimeline(httpUrl: string, token: string, ticketId: string): Promise<Json[]> {
  const events: Json[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const page = expectStatus(
      await call(httpUrl, 'GET', `/tickets/${ticketId}/events?${query}`, { token }),
      200,
      'GET /tickets/{id}/events',
    );
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

export interface RealtimeClient {
  socket: WebSocket;
  /** Pushes (frames without a pending `requestId`), in arrival order. */
  pushes: Json[];
  /** Sends a frame with a fresh `requestId` and resolves with the reply that echoes it. */
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<Json>;
  /** Called for every push as it arrives. */
  onPush(listener: (frame: Json) => void): () => void;
  closed: Promise<number>;
  close(): Promise<number>;
  /** Drops the TCP connection without a close frame, as a phone losing its network does. */
  kill(): void;
}

export async function connectionTicket(httpUrl: string, token: string): Promise<string> {
  const body = expectStatus(await call(httpUrl, 'POST', '/realtime/ticket', { token }), 201, 'POST /realtime/ticket');
  return body.ticket as string;
}

/** Opens a connection for the person `token` belongs to. */
export async function openClient(urls: { httpUrl: string; wsUrl: string }, token: string): Promise<RealtimeClient> {
  const ticket = await connectionTicket(urls.httpUrl, token);
  const socket = new WebSocket(`${urls.wsUrl}/?ticket=${encodeURIComponent(ticket)}`, { perMessageDeflate: false });
  const pending = new Map<string, { resolve(frame: Json): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  const listeners = new Set<(frame: Json) => void>();
  const pushes: Json[] = [];
  const closed = new Promise<number>((resolve) =>
    socket.on('close', (code) => {
      for (const [id, waiter] of pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`connection closed (${code}) before the reply to ${id}`));
      }
      pending.clear();
      resolve(code);
    }),
  );
  socket.on('message', (data) => {
    let frame: Json;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      frame = data.toString();
    }
    const waiter = typeof frame?.requestId === 'string' ? pending.get(frame.requestId) : undefined;
    if (waiter) {
      pending.delete(frame.requestId);
      clearTimeout(waiter.timer);
      waiter.resolve(frame);
      return;
    }
    pushes.push(frame);
    for (const listener of listeners) listener(frame);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`WebSocket upgrade refused with ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
  socket.on('error', () => {
    // A killed or reset connection reports here; `closed` tells the rest.
  });
  return {
    socket,
    pushes,
    request(frame, timeoutMs = 30_000) {
      const requestId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(requestId);
          reject(new Error(`no reply to ${JSON.stringify(frame)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(requestId, { resolve, reject, timer });
        socket.send(JSON.stringify({ ...frame, requestId }), (error) => {
          if (!error) return;
          pending.delete(requestId);
          clearTimeout(timer);
          reject(error);
        });
      });
    },
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    closed,
    close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close(1000);
      return closed;
    },
    kill() {
      socket.terminate();
    },
  };
}

/** The reply frame, or an Error carrying its `error.code` when the server answered an error frame. */
export function replyOk(reply: Json, type: string): Json {
  if (reply?.type !== type) throw new Error(`expected a ${type} reply, got ${JSON.stringify(reply)}`);
  return reply;
}

/** Opens `count` connections, `parallel` at a time (each needs an HTTP ticket and a $connect). */
export async function openClients(
  urls: { httpUrl: string; wsUrl: string },
  tokens: (index: number) => string,
  count: number,
  parallel = 10,
): Promise<RealtimeClient[]> {
  return mapLimited(Array.from({ length: count }), parallel, (_, index) => openClient(urls, tokens(index)));
}
