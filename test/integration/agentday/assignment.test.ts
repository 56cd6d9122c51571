// Presence and auto-assignment (api.md, "Presence and auto-assignment"). The assignment policy and who is
// online are facts about the whole deployment, so this file runs on a gateway with a table of its own
// (test/integration/faults/isolated.ts), where it knows every agent there is; no scheduled job runs there,
// so every hand-out seen here follows from a request. Who may call these routes, and bad input:
// assignment-input.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { call, type Json, openClient, type RealtimeClient, replyOk, storedTimeline } from '../../../bench/clients.js';
import { eventually } from '../../support/eventually.js';
import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from '../faults/isolated.js';

const isolated = useIsolatedGateway();

const http = (person: { token: string }, method: string, path: string, body?: unknown) =>
  call(isolated.urls.httpUrl, method, path, { token: person.token, body });

const open = new Set<RealtimeClient>();
const connect = async (person: Person) => {
  const client = await openClient(isolated.urls, person.token);
  open.add(client);
  return client;
};

// Every test leaves its agents offline, so the next one knows exactly who may get a ticket.
afterEach(async () => {
  await Promise.all([...open].map((client) => client.close()));
  open.clear();
});

async function setPolicy(admin: Person, policy: { mode: string; maxOpenPerAgent: number }) {
  const res = await http(admin, 'PUT', '/assignment-policy', policy);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual(policy);
}

const presenceOf = async (viewer: Person, userId: string): Promise<string> => {
  const res = await http(viewer, 'GET', '/staff');
  expect(res.status).toBe(200);
  return res.body.items.find((user: Json) => user.id === userId)?.presence;
};

const until = (viewer: Person, person: Person, presence: string) =>
  eventually(async () => (await presenceOf(viewer, person.user.id)) === presence, `${person.user.name} ${presence}`);

async function chat(message: string): Promise<Json> {
  const chatter = await connect(await world.platformUser());
  const reply = replyOk(
    await chatter.request({ action: 'chat.start', topic: 'fiscal_document', message }),
    'chat.started',
  );
  return reply.ticket;
}

const ticketOf = async (viewer: Person, id: string): Promise<Json> =>
  (await http(viewer, 'GET', `/tickets/${id}`)).body.ticket;

const assignedEvents = async (viewer: Person, id: string) =>
  (await storedTimeline(isolated.urls.httpUrl, viewer.token, id)).filter((event: Json) => event.type === 'assigned');

describe('auto-assignment', () => {
  it('with round-robin and a cap of 2, five chats at once give each of two online agents two and leave one waiting', async () => {
    const admin = await world.admin();
    const [ana, bruno] = [await world.agent({ name: 'Ana' }), await world.agent({ name: 'Bruno' })];
    await setPolicy(admin, { mode: 'round_robin', maxOpenPerAgent: 2 });
    await Promise.all([connect(ana), connect(bruno)]);
    expect([await presenceOf(admin, ana.user.id), await presenceOf(admin, bruno.user.id)]).toEqual([
      'online',
      'online',
    ]);

    const started = await Promise.all([1, 2, 3, 4, 5].map((n) => chat(`Chat número ${n}: não emite a nota`)));

    const tickets = await Promise.all(started.map((ticket) => ticketOf(admin, ticket.id)));
    const holders = tickets.map((ticket) => ticket.assigneeId ?? 'queue');
    expect(holders.filter((id) => id === ana.user.id)).toHaveLength(2);
    expect(holders.filter((id) => id === bruno.user.id)).toHaveLength(2);
    const waiting = tickets.filter((ticket) => ticket.assigneeId === undefined);
    expect(waiting).toHaveLength(1);
    const queue = await http(admin, 'GET', '/queue');
    expect(queue.body.items.map((ticket: Json) => ticket.id)).toEqual([waiting[0].id]);
    // The chat that waits knows when to expect a first answer, from the SLA policy.
    const waitingChat = started.find((ticket) => ticket.id === waiting[0].id);
    expect(waitingChat.assigneeId).toBeUndefined();
    expect(Date.parse(waitingChat.sla.firstResponseDueAt)).toBeGreaterThan(Date.parse(waitingChat.createdAt));

    // Each hand-out is one `assigned` event, by the help desk and marked automatic; no chat went to two agents.
    for (const ticket of tickets.filter((t) => t.assigneeId !== undefined)) {
      const events = await assignedEvents(admin, ticket.id);
      expect(events).toHaveLength(1);
      expect(events[0].data).toEqual({ from: null, to: ticket.assigneeId, auto: true });
    }
    expect(await assignedEvents(admin, waiting[0].id)).toEqual([]);

    // Ana resolves one of hers: the place it frees goes to the chat that waited.
    const resolved = tickets.find((ticket) => ticket.assigneeId === ana.user.id);
    const patch = await http(ana, 'PATCH', `/tickets/${resolved.id}`, { status: 'resolved' });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect((await ticketOf(admin, waiting[0].id)).assigneeId).toBe(ana.user.id);
    expect((await http(admin, 'GET', '/queue')).body.items).toEqual([]);

    // Bruno hands one of his to Ana by hand (a transfer): allowed past the cap, and it frees Bruno a place.
    const transferred = tickets.find((ticket) => ticket.assigneeId === bruno.user.id);
    const moved = await http(bruno, 'PATCH', `/tickets/${transferred.id}`, { assigneeId: ana.user.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.ticket.assigneeId).toBe(ana.user.id);
    const next = await chat('Mais uma dúvida');
    expect(next.assigneeId).toBe(bruno.user.id);
  });

  it('leaves agents who are away or offline out, and hands the waiting chat to one who comes online', async () => {
    const admin = await world.admin();
    const carla = await world.agent({ name: 'Carla' });
    const davi = await world.agent({ name: 'Davi' });
    await setPolicy(admin, { mode: 'round_robin', maxOpenPerAgent: 5 });
    // Whoever a test before this one connected is gone.
    for (const user of (await http(admin, 'GET', '/staff')).body.items) {
      await eventually(async () => (await presenceOf(admin, user.id)) === 'offline', `${user.name} offline`);
    }

    // Never connected: offline, whatever they chose.
    expect(await presenceOf(admin, carla.user.id)).toBe('offline');
    expect((await http(carla, 'PUT', '/me/presence', { status: 'online' })).status).toBe(204);
    expect((await http(carla, 'GET', '/me')).body.user.presence).toBe('offline');

    const carlaClient = await connect(carla);
    expect((await http(carla, 'GET', '/me')).body.user.presence).toBe('online');
    expect((await http(carla, 'PUT', '/me/presence', { status: 'away' })).status).toBe(204);
    expect(await presenceOf(admin, carla.user.id)).toBe('away');
    expect(await presenceOf(admin, davi.user.id)).toBe('offline');

    const waiting = await chat('Ninguém disponível?');
    expect(waiting.assigneeId).toBeUndefined();
    expect(waiting.sla.firstResponseDueAt).toEqual(expect.any(String));

    // Davi connects, never having chosen: online by default. Carla says she is back: the chat goes to one of
    // them, once.
    await connect(davi);
    expect(await presenceOf(admin, davi.user.id)).toBe('online');
    expect((await http(carla, 'PUT', '/me/presence', { status: 'online' })).status).toBe(204);
    const given = await ticketOf(admin, waiting.id);
    expect([carla.user.id, davi.user.id]).toContain(given.assigneeId);
    expect(await assignedEvents(admin, waiting.id)).toEqual([
      expect.objectContaining({ data: { from: null, to: given.assigneeId, auto: true } }),
    ]);

    // Leaving the console is going offline, even for someone who said online.
    await carlaClient.close();
    open.delete(carlaClient);
    await until(admin, carla, 'offline');
  });

  it('hands out nothing with the manual policy, and switching to round-robin hands out what waits', async () => {
    const admin = await world.admin();
    const eva = await world.agent({ name: 'Eva' });
    await setPolicy(admin, { mode: 'manual', maxOpenPerAgent: 5 });
    await connect(eva);
    const waiting = await chat('Modo manual');
    expect(waiting.assigneeId).toBeUndefined();
    expect((await ticketOf(admin, waiting.id)).assigneeId).toBeUndefined();

    await setPolicy(admin, { mode: 'round_robin', maxOpenPerAgent: 5 });
    expect((await ticketOf(admin, waiting.id)).assigneeId).toBe(eva.user.id);
    const policy = await http(eva, 'GET', '/assignment-policy');
    expect(policy.body).toEqual({ mode: 'round_robin', maxOpenPerAgent: 5 });
  });
});
