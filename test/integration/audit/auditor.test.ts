// The auditor, from the outside: reads every ticket and timeline of every group, changes nothing (403 on
// every write, over HTTP and WebSocket), and is itself in the audit trail for each of those requests.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestLine } from '../../../shared/observability/logger.js';
import { type ApiResponse, api } from '../../support/http.js';
import { waitForLog } from '../../support/request-log.js';
import { type Person, world } from '../../support/world.js';
import { connectWs } from '../../support/ws.js';
import { audit, by } from './support.js';

let olga: Person;
let ana: Person & { group: { id: string } };
let ticket: { id: string; version: number };

beforeAll(async () => {
  ana = await world.customer();
  olga = await world.auditor();
  const created = await api.post('/tickets', {
    token: ana.token,
    body: { groupId: ana.group.id, topic: 'billing', subject: 'Boleto em dobro', description: 'Cobrado duas vezes.' },
  });
  expect(created.status).toBe(201);
  ticket = created.body.ticket;
  const message = await api.post(`/tickets/${ticket.id}/messages`, {
    token: ana.token,
    body: { body: 'Segue o boleto.' },
  });
  expect(message.status).toBe(201);
});

describe('an auditor', () => {
  it("reads any group's tickets, their timelines and the groups themselves", async () => {
    const read = await api.get(`/tickets/${ticket.id}`, { token: olga.token });
    expect(read.status).toBe(200);
    expect(read.body.ticket).toMatchObject({ id: ticket.id, groupId: ana.group.id });

    const timeline = await api.get(`/tickets/${ticket.id}/events`, { token: olga.token });
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'message']);

    const list = await api.get(`/tickets?groupId=${ana.group.id}`, { token: olga.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(ticket.id);

    const groups = await api.get('/groups', { token: olga.token });
    expect(groups.status).toBe(200);
    const members = await api.get(`/groups/${ana.group.id}/members`, { token: olga.token });
    expect(members.status).toBe(200);
    expect(members.body.items.map((u: { id: string }) => u.id)).toContain(ana.user.id);
  });

  it('is refused with 403 on every write, and nothing changes', async () => {
    const ifMatch = { 'if-match': `"${ticket.version + 1}"` };
    const writes: [string, Promise<ApiResponse>][] = [
      [
        'POST /tickets',
        api.post('/tickets', {
          token: olga.token,
          body: { groupId: ana.group.id, topic: 'other', subject: 'Auditor ticket', description: 'Should not exist.' },
        }),
      ],
      [
        'PATCH /tickets/{id}',
        api.patch(`/tickets/${ticket.id}`, { token: olga.token, headers: ifMatch, body: { status: 'closed' } }),
      ],
      [
        'POST /tickets/{id}/messages',
        api.post(`/tickets/${ticket.id}/messages`, { token: olga.token, body: { body: 'Auditor says hi' } }),
      ],
      [
        'POST /tickets/{id}/grant-access',
        api.post(`/tickets/${ticket.id}/grant-access`, { token: olga.token, body: { groupId: ana.group.id } }),
      ],
      [
        'POST /tickets/{id}/attachments',
        api.post(`/tickets/${ticket.id}/attachments`, {
          token: olga.token,
          body: { attachmentIds: ['01JAAAAAAAAAAAAAAAAAAAAAAA'] },
        }),
      ],
      [
        'POST /attachments',
        api.post('/attachments', {
          token: olga.token,
          body: { fileName: 'a.txt', contentType: 'text/plain', size: 3 },
        }),
      ],
      ['POST /groups', api.post('/groups', { token: olga.token, body: { name: 'Auditor group' } })],
      [
        'POST /groups/{groupId}/invites',
        api.post(`/groups/${ana.group.id}/invites`, { token: olga.token, body: { email: 'someone-new@example.com' } }),
      ],
    ];
    for (const [route, pending] of writes) {
      const res = await pending;
      expect([route, res.status, res.body?.error?.code]).toEqual([route, 403, 'forbidden']);
    }

    const after = await api.get(`/tickets/${ticket.id}`, { token: ana.token });
    expect(after.body.ticket).toMatchObject({ status: 'new', version: ticket.version + 1 });
    const timeline = await api.get(`/tickets/${ticket.id}/events`, { token: ana.token });
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'message']);
    const invites = await api.get(`/groups/${ana.group.id}/invites`, { token: (await world.admin()).token });
    expect(invites.body.items).toEqual([]);
  });

  it('may watch a ticket live but not post to it or start a chat over WebSocket', async () => {
    const issued = await api.post('/realtime/ticket', { token: olga.token });
    expect(issued.status).toBe(201);
    const ws = await connectWs({ ticket: issued.body.ticket });
    try {
      ws.send({ action: 'ticket.subscribe', ticketId: ticket.id, requestId: 'olga-subscribe' });
      const subscribed = await ws.next((f) => f.requestId === 'olga-subscribe');
      expect(subscribed).toMatchObject({ type: 'ticket.subscribed', ticketId: ticket.id });

      ws.send({
        action: 'message.send',
        ticketId: ticket.id,
        body: 'Auditor over WebSocket',
        clientMessageId: 'olga-1',
        requestId: 'olga-send',
      });
      expect(await ws.next((f) => f.requestId === 'olga-send')).toMatchObject({
        type: 'error',
        error: { code: 'forbidden' },
      });

      ws.send({ action: 'chat.start', topic: 'other', message: 'Auditor chat', requestId: 'olga-chat' });
      expect(await ws.next((f) => f.requestId === 'olga-chat')).toMatchObject({
        type: 'error',
        error: { code: 'forbidden' },
      });
    } finally {
      await ws.close();
    }
    const timeline = await api.get(`/tickets/${ticket.id}/events`, { token: ana.token });
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'message']);
  });

  it('leaves a line in the audit trail for each of its reads and refused writes', { timeout: 60_000 }, async () => {
    // The last request of the tests above is the WebSocket disconnect.
    await waitForLog("the auditor's requests", (lines) =>
      lines.some((l) => by(olga.user.id)(l) && l.route === 'ws $disconnect'),
    );
    const { code, lines } = await audit('--user', olga.user.id, '--json');
    expect(code).toBe(0);
    const summary = (l: RequestLine) => `${l.route} ${l.status} ${l.outcome}`;
    expect(lines.map(summary)).toEqual(
      expect.arrayContaining([
        'GET /tickets/{id} 200 success',
        'GET /tickets/{id}/events 200 success',
        'GET /tickets 200 success',
        'GET /groups 200 success',
        'GET /groups/{groupId}/members 200 success',
        'POST /tickets 403 denied',
        'PATCH /tickets/{id} 403 denied',
        'POST /tickets/{id}/messages 403 denied',
        'POST /tickets/{id}/grant-access 403 denied',
        'POST /tickets/{id}/attachments 403 denied',
        'POST /attachments 403 denied',
        'POST /groups 403 denied',
        'POST /groups/{groupId}/invites 403 denied',
        'ws $connect 200 success',
        'ws ticket.subscribe 200 success',
        'ws message.send 403 denied',
        'ws chat.start 403 denied',
        'ws $disconnect 200 success',
      ]),
    );
    expect(lines.every((l) => l.principal?.role === 'auditor')).toBe(true);

    const onTicket = await audit('--ticket', ticket.id, '--user', olga.user.id, '--json');
    expect(onTicket.lines.map((l) => `${l.action} ${l.outcome}`)).toEqual(
      expect.arrayContaining(['ticket.get success', 'ticket.events success', 'ticket.update denied']),
    );
  });
});
