// What the chat tests do over and over, through the public API: connect as someone (a one-time ticket from
// POST /realtime/ticket, then a real WebSocket through the local gateway), send a frame and wait for the
// reply that echoes its requestId, and read the pushes a connection got.
import { ulid } from 'ulid';
import { afterEach, expect } from 'vitest';
import { api, type Json } from '../../support/http.js';
import { type Person, world } from '../../support/world.js';
import { type ConnectOptions, connectWs, type Frame, type WsClient } from '../../support/ws.js';

/** Anyone signed in: a fixture person, or someone who signed in through the API. */
export type SignedIn = Pick<Person, 'token'>;

export interface ChatClient extends WsClient {
  person: SignedIn;
  /** Sends `{action, requestId, ...fields}` with a fresh requestId and resolves with the reply echoing it. */
  request(action: string, fields?: Record<string, unknown>): Promise<Frame>;
  /** The `event` pushes received so far for `ticketId`, in arrival order. */
  pushedEvents(ticketId: string): Json[];
}

const open = new Set<WsClient>();

// No test leaves a connection behind for the next one to trip over.
afterEach(async () => {
  await Promise.all([...open].map((client) => client.close()));
  open.clear();
});

export async function connectionTicket(person: SignedIn): Promise<string> {
  const res = await api.post('/realtime/ticket', { token: person.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.ticket;
}

export async function connectAs(person: SignedIn, options?: ConnectOptions): Promise<ChatClient> {
  const ws = await connectWs({ ticket: await connectionTicket(person) }, options);
  open.add(ws);
  return Object.assign(ws, {
    person,
    request(action: string, fields: Record<string, unknown> = {}) {
      const requestId = `rq-${ulid()}`;
      ws.send({ action, requestId, ...fields });
      return ws.next((frame) => frame?.requestId === requestId);
    },
    pushedEvents(ticketId: string) {
      return ws.frames.filter((f) => f?.type === 'event' && f.ticketId === ticketId).map((f) => f.event);
    },
  });
}

/** Sends `action` and expects a reply of type `type`; returns it. */
export async function expectReply(client: ChatClient, type: string, action: string, fields?: Record<string, unknown>) {
  const reply = await client.request(action, fields);
  expect(reply.type, JSON.stringify(reply)).toBe(type);
  return reply;
}

export async function expectError(client: ChatClient, code: string, action: string, fields?: Record<string, unknown>) {
  const reply = await client.request(action, fields);
  expect(reply, JSON.stringify(reply)).toMatchObject({ type: 'error', error: { code } });
  return reply;
}

export interface StartedChat {
  ticket: Json;
  events: Json[];
}

export async function startChat(client: ChatClient, fields: Record<string, unknown> = {}): Promise<StartedChat> {
  const reply = await expectReply(client, 'chat.started', 'chat.start', {
    topic: 'fiscal_document',
    message: 'Olá, não consigo baixar o XML da nota.',
    ...fields,
  });
  return { ticket: reply.ticket, events: reply.events };
}

/** A platform user's chat, started over their connection, with an agent's connection subscribed to it. */
export async function chatWithAgent(): Promise<
  StartedChat & { person: Person; chatter: ChatClient; agent: ChatClient }
> {
  const person = await world.platformUser();
  const chatter = await connectAs(person);
  const { ticket, events } = await startChat(chatter);
  const agent = await connectAs(await world.agent());
  await expectReply(agent, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
  return { person, chatter, ticket, events, agent };
}

export async function send(client: ChatClient, ticketId: string, body: string, clientMessageId = `cm-${ulid()}`) {
  const reply = await expectReply(client, 'message.ack', 'message.send', { ticketId, body, clientMessageId });
  return reply.event;
}

export const messages = (events: Json[]): Json[] => events.filter((e) => e.type === 'message');
export const bodies = (events: Json[]): string[] => messages(events).map((e) => e.data.body);
