// WebSocket sign-in: a one-time connection ticket from POST /realtime/ticket, spent at $connect by the
// authorizer. Real WebSocket clients through the local gateway.
import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { issueConnectionTicket } from '../../../shared/auth/connection-tickets.js';
import type { RequestLine } from '../../../shared/observability/logger.js';
import { api } from '../../support/http.js';
import { requestLog, waitForLog } from '../../support/request-log.js';
import { world } from '../../support/world.js';

type Outcome = { opened: true; socket: WebSocket } | { opened: false; status: number };

function connect(query: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${inject('stack').wsUrl}${query}`);
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** Request-log lines of connections the authorizer refused. */
const refusals = (lines: RequestLine[]) =>
  lines.filter(
    (l) =>
      l.route === 'ws $connect' && l.action === 'connection.authorize' && l.status === 401 && l.outcome === 'denied',
  ).length;

async function ticketFor(token: string): Promise<string> {
  const res = await api.post('/realtime/ticket', { token });
  expect(res.status).toBe(201);
  expect(res.body).toEqual({ ticket: expect.any(String), expiresIn: 30 });
  return res.body.ticket;
}

function ping(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data))));
    socket.send(JSON.stringify({ action: 'ping', requestId: 'r-1' }));
  });
}

describe('connection tickets', () => {
  it('open a WebSocket once; the same ticket is refused with 401 the second time', async () => {
    const customer = await world.customer();
    const ticket = await ticketFor(customer.token);
    const first = await connect(`?ticket=${ticket}`);
    expect(first.opened).toBe(true);
    if (first.opened) {
      expect(await ping(first.socket)).toEqual({ type: 'pong', requestId: 'r-1' });
      first.socket.close();
    }
    expect(await connect(`?ticket=${ticket}`)).toEqual({ opened: false, status: 401 });
  });

  it('are refused with 401 when made up, missing or expired, and the refusal is on the audit trail', async () => {
    const before = refusals(await requestLog());
    expect(await connect(`?ticket=${'x'.repeat(43)}`)).toEqual({ opened: false, status: 401 });
    await waitForLog('the refusal', (lines) => refusals(lines) > before);
    expect(await connect('')).toEqual({ opened: false, status: 401 });
    const agent = await world.agent();
    const stale = await issueConnectionTicket(agent.principal, new Date(Date.now() - 31_000));
    expect(await connect(`?ticket=${stale.ticket}`)).toEqual({ opened: false, status: 401 });
  });

  it('are issued to signed-in callers only', async () => {
    const res = await api.post('/realtime/ticket', { token: 'not-a-token' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('give two concurrent connections with one ticket exactly one success', async () => {
    const customer = await world.customer();
    const ticket = await ticketFor(customer.token);
    const outcomes = await Promise.all([connect(`?ticket=${ticket}`), connect(`?ticket=${ticket}`)]);
    expect(outcomes.filter((o) => o.opened)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.opened)).toEqual([{ opened: false, status: 401 }]);
    for (const o of outcomes) if (o.opened) o.socket.close();
  });
});
