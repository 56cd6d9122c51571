// DynamoDB round trips of the routes the latency section does not time: every other read and write a
// person makes in a session (the ticket page, its timeline, a status change, the agent's queue) and the
// WebSocket actions of a chat. Counted by the proxy like the rest, a few runs each; none may be a Scan.
import { limits } from '../shared/domain/limits.js';
import { call, expectStatus, type Json, openClient, type RealtimeClient, replyOk } from './clients.js';
import type { FaultProxy } from './fault-proxy.js';
import { benchRoute, type RouteCase, type RouteResult } from './http.js';

export interface Session {
  urls: { httpUrl: string; wsUrl: string };
  /** A customer of `groupId` and an agent, signed in. */
  customer: { token: string };
  agent: { token: string };
  groupId: string;
  /** A ticket of the group, with some timeline. */
  ticketId: string;
}

const roundTripsOnly = 'round trips only';

export async function otherRoundTrips(proxy: FaultProxy, session: Session): Promise<RouteResult[]> {
  const { urls, customer, agent, ticketId } = session;
  const get = (path: string, token: string) => async () =>
    expectStatus(await call(urls.httpUrl, 'GET', path, { token }), 200, `GET ${path}`);
  const opened: RealtimeClient[] = [];
  const open = async () => {
    const client = await openClient(urls, customer.token);
    opened.push(client);
    return client;
  };
  const [chatter, watcher] = [await open(), await open()];
  replyOk(await watcher.request({ action: 'ticket.subscribe', ticketId }), 'ticket.subscribed');
  const frame = (client: RealtimeClient, body: Record<string, unknown>, reply: string) => async () =>
    replyOk(await client.request(body), reply) as Json;

  const cases: Omit<RouteCase, 'directNote'>[] = [
    { route: 'GET /me', send: get('/me', customer.token) },
    { route: 'GET /tickets/{id}', send: get(`/tickets/${ticketId}`, customer.token) },
    { route: 'GET /tickets/{id}/events', send: get(`/tickets/${ticketId}/events`, customer.token) },
    { route: 'GET /queue', send: get('/queue', agent.token) },
    {
      route: 'PATCH /tickets/{id}',
      send: async (run) =>
        expectStatus(
          await call(urls.httpUrl, 'PATCH', `/tickets/${ticketId}`, {
            token: agent.token,
            body: { priority: run % 2 ? 'high' : 'normal' },
          }),
          200,
          'PATCH /tickets/{id}',
        ),
    },
    { route: 'WebSocket connect (POST /realtime/ticket, $connect)', send: open },
    {
      route: 'WebSocket ticket.subscribe',
      send: frame(chatter, { action: 'ticket.subscribe', ticketId }, 'ticket.subscribed'),
    },
    {
      route: 'WebSocket message.send (1 subscriber)',
      send: async (run) =>
        frame(
          chatter,
          { action: 'message.send', ticketId, body: `Olá ${run}`, clientMessageId: `rt-${Date.now()}-${run}` },
          'message.ack',
        )(),
    },
    {
      route: 'WebSocket typing (1 subscriber)',
      send: async () => {
        // typing has no reply: it is done when the other subscriber gets the push.
        const pushed = new Promise<void>((resolve) => {
          const stop = watcher.onPush((push) => {
            if (push?.type !== 'typing') return;
            stop();
            resolve();
          });
        });
        // A person's typing on a ticket is pushed at most once per interval (shared/realtime/following.ts): each
        // frame waits out the last one's, or it would be dropped and no push would come.
        await new Promise((resolve) => setTimeout(resolve, limits.typing.intervalMs));
        chatter.socket.send(JSON.stringify({ action: 'typing', ticketId }));
        await pushed;
      },
    },
    {
      route: 'WebSocket chat.start',
      send: frame(
        chatter,
        { action: 'chat.start', topic: 'usage', message: 'Preciso de ajuda', groupId: session.groupId },
        'chat.started',
      ),
    },
  ];
  try {
    const results: RouteResult[] = [];
    for (const test of cases) {
      results.push(await benchRoute(proxy, { ...test, directNote: roundTripsOnly }, { runs: 3, warmup: 1 }));
    }
    return results;
  } finally {
    await Promise.all(opened.map((client) => client.close()));
  }
}
