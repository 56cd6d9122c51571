// One WebSocket per tab, shared by the chat widget, the ticket page and the agent console.
// Connecting takes a one-time ticket from POST /realtime/ticket (tokens never travel in URLs). When the
// connection drops it reconnects by itself with a growing, jittered delay, subscribes again to every
// ticket it followed after the last event it has everything up to (the server answers with what was
// missed, page after page while it says `more`), and resends the messages that were never acknowledged
// with their original clientMessageId, which the server deduplicates. Listeners get every event as an
// `event` frame, missed or pushed, possibly twice: they apply each id once (lib/timeline.ts).
import { api } from './api/client.js';
import { ApiError } from './api/http.js';
import type { ErrorCode, PushFrame, Ticket, TicketEvent } from './api/types.js';
import { config } from './config.js';
import { createStore } from './lib/store.js';
import { eventReceived, type Follow, follow, pageReceived, resumeFrom, startCatchingUp } from './lib/timeline.js';

/** What the server sends: pushes, and replies to this client's frames (their shapes are not typed server-side). */
export type ServerFrame =
  | PushFrame
  /** `events`: the new ticket's timeline when the sender was subscribed to it. */
  | { type: 'chat.started'; requestId: string; ticket: Ticket; events: TicketEvent[] }
  | { type: 'message.ack'; requestId: string; event: TicketEvent }
  | { type: 'ticket.subscribed'; requestId: string; ticketId: string; missed: TicketEvent[]; more?: boolean }
  | { type: 'ticket.unsubscribed'; requestId: string; ticketId: string }
  | { type: 'pong'; requestId: string }
  | { type: 'error'; requestId?: string; error: { code: ErrorCode; message: string } };

/** What the app itself tells listeners about a message it is sending. */
export type OutboxFrame = { type: 'outbox'; clientMessageId: string; state: 'queued' | 'sent' };

export type Frame = ServerFrame | OutboxFrame;
export type ConnectionState = 'offline' | 'connecting' | 'open';
export type ChatStarted = Extract<ServerFrame, { type: 'chat.started' }>;
type Subscribed = Extract<ServerFrame, { type: 'ticket.subscribed' }>;

export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RealtimeError';
  }
}

interface Pending {
  resolve: (frame: ServerFrame) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A ticket followed by `users` parts of the page (the chat and the ticket page may show the same one). */
interface Followed {
  users: number;
  state: Follow;
}

interface OutgoingMessage {
  ticketId: string;
  body: string;
  clientMessageId: string;
  /** Files already uploaded (POST /attachments) that the message carries. */
  attachmentIds?: string[];
  resolve: (event: TicketEvent) => void;
  reject: (error: Error) => void;
}

/** Errors after which sending the same frame again cannot succeed. */
const finalCodes = new Set(['validation_failed', 'not_found', 'forbidden', 'payload_too_large', 'gone', 'conflict']);
const requestTimeoutMs = 15_000;
const pingEveryMs = 4 * 60_000;

export class Realtime {
  readonly state = createStore<ConnectionState>('offline');
  private socket: WebSocket | undefined;
  private stopped = true;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private counter = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly follows = new Map<string, Followed>();
  private readonly outbox = new Map<string, OutgoingMessage>();
  private readonly listeners = new Set<(frame: Frame) => void>();

  constructor() {
    window.addEventListener('online', () => this.reconnectNow());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    this.failPending(new RealtimeError('offline', 'connection closed'));
    for (const message of this.outbox.values()) message.reject(new RealtimeError('offline', 'signed out'));
    this.outbox.clear();
    this.follows.clear();
    this.state.set('offline');
  }

  on(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a frame and waits for the reply carrying the same requestId. */
  request<T extends ServerFrame>(action: string, fields: Record<string, unknown> = {}): Promise<T> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RealtimeError('offline', 'not connected'));
    }
    this.counter += 1;
    const requestId = `${Date.now().toString(36)}-${this.counter}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new RealtimeError('timeout', `${action} got no answer`));
      }, requestTimeoutMs);
      this.pending.set(requestId, { resolve: resolve as (frame: ServerFrame) => void, reject, timer });
      socket.send(JSON.stringify({ action, ...fields, requestId }));
    });
  }

  /**
   * Follows a ticket's events after `after` (the last one the caller has everything up to), now and after
   * every reconnection. Returns the function that stops following; the ticket is unsubscribed when no
   * part of the page follows it any more.
   */
  subscribe(ticketId: string, after?: string): () => void {
    const existing = this.follows.get(ticketId);
    // Already followed: its events reach every listener, the new one included, from where it stands.
    const entry = existing ?? { users: 0, state: follow(after) };
    entry.users += 1;
    if (!existing) {
      this.follows.set(ticketId, entry);
      if (this.state.get() === 'open') void this.catchUp(ticketId, entry);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0 || this.follows.get(ticketId) !== entry) return;
      this.follows.delete(ticketId);
      if (this.state.get() === 'open') this.request('ticket.unsubscribe', { ticketId }).catch(() => {});
    };
  }

  /**
   * Sends a chat message; the promise settles with the stored event once the server acknowledges it,
   * even if that takes a reconnection. Listeners see `outbox` frames for the queued → sent states.
   */
  sendMessage(ticketId: string, body: string, clientMessageId: string, attachmentIds?: string[]): Promise<TicketEvent> {
    return new Promise((resolve, reject) => {
      const message = { ticketId, body, clientMessageId, ...(attachmentIds ? { attachmentIds } : {}), resolve, reject };
      this.outbox.set(clientMessageId, message);
      this.emit({ type: 'outbox', clientMessageId, state: 'queued' });
      if (this.state.get() === 'open') void this.sendNow(message);
    });
  }

  typing(ticketId: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ action: 'typing', ticketId }));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.state.set('connecting');
    let ticket: string;
    try {
      ({ ticket } = await api.post<{ ticket: string }>('/realtime/ticket', {}));
    } catch (error) {
      // A 401 here means the session has ended; the app stops this client then.
      if (!(error instanceof ApiError && error.status === 401)) this.retryLater();
      return;
    }
    if (this.stopped) return;
    const url = new URL(config().wsUrl);
    url.searchParams.set('ticket', ticket);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.state.set('open');
      clearInterval(this.pingTimer);
      // API Gateway closes a WebSocket after 10 idle minutes.
      this.pingTimer = setInterval(() => this.request('ping').catch(() => {}), pingEveryMs);
      for (const [ticketId, entry] of this.follows) void this.catchUp(ticketId, entry);
      for (const message of this.outbox.values()) void this.sendNow(message);
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.pingTimer);
      this.failPending(new RealtimeError('offline', 'connection lost'));
      for (const message of this.outbox.values()) {
        this.emit({ type: 'outbox', clientMessageId: message.clientMessageId, state: 'queued' });
      }
      this.state.set('offline');
      this.retryLater();
    };
  }

  private reconnectNow(): void {
    if (this.stopped || this.socket) return;
    this.attempt = 0;
    void this.connect();
  }

  private retryLater(): void {
    if (this.stopped) return;
    const delay = Math.min(15_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** Subscribes and asks for what was missed, again after the last event received while the server says `more`. */
  private async catchUp(ticketId: string, entry: Followed): Promise<void> {
    entry.state = startCatchingUp(entry.state);
    try {
      let after = resumeFrom(entry.state);
      for (;;) {
        const reply = await this.request<Subscribed>('ticket.subscribe', after ? { ticketId, after } : { ticketId });
        if (this.follows.get(ticketId) !== entry) return;
        const next = pageReceived(entry.state, reply);
        entry.state = next.state;
        if (!next.again) return;
        after = next.continueAfter;
      }
    } catch (error) {
      const final = error instanceof RealtimeError && finalCodes.has(error.code);
      if (final && this.follows.get(ticketId) === entry) this.follows.delete(ticketId);
    }
  }

  private async sendNow(message: OutgoingMessage): Promise<void> {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    try {
      const reply = this.request<Extract<ServerFrame, { type: 'message.ack' }>>('message.send', {
        ticketId: message.ticketId,
        body: message.body,
        clientMessageId: message.clientMessageId,
        ...(message.attachmentIds ? { attachmentIds: message.attachmentIds } : {}),
      });
      this.emit({ type: 'outbox', clientMessageId: message.clientMessageId, state: 'sent' });
      const { event } = await reply;
      this.outbox.delete(message.clientMessageId);
      this.noteEvent(message.ticketId, event.id);
      message.resolve(event);
    } catch (error) {
      if (error instanceof RealtimeError && finalCodes.has(error.code)) {
        this.outbox.delete(message.clientMessageId);
        message.reject(error);
      }
      // Otherwise it stays in the outbox and goes again on the next connection.
    }
  }

  private receive(data: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    const requestId = 'requestId' in frame ? frame.requestId : undefined;
    const pending = requestId ? this.pending.get(requestId) : undefined;
    if (pending && requestId) {
      this.pending.delete(requestId);
      clearTimeout(pending.timer);
      if (frame.type === 'error') pending.reject(new RealtimeError(frame.error.code, frame.error.message));
      else pending.resolve(frame);
    }
    if (frame.type === 'event') this.noteEvent(frame.ticketId, frame.event.id);
    // Where following resumes moves with the reply in catchUp; listeners just get the events.
    if (frame.type === 'ticket.subscribed') {
      for (const event of frame.missed ?? []) this.emit({ type: 'event', ticketId: frame.ticketId, event });
    }
    this.emit(frame);
  }

  private noteEvent(ticketId: string, eventId: string): void {
    const entry = this.follows.get(ticketId);
    if (entry) entry.state = eventReceived(entry.state, eventId);
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }

  private emit(frame: Frame): void {
    for (const listener of [...this.listeners]) listener(frame);
  }
}

export const realtime = new Realtime();
