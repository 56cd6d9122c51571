// The agents' side of the portal: the chat queue, granting portal access from a request, and the pushes
// every ticket write sends to WebSocket subscribers.
import { describe, expect, it } from 'vitest';
import { api, type Json } from '../../support/http.js';
import { mailTo } from '../../support/mailbox.js';
import { ids } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { connectAs, startChat } from '../chat/support.js';
import { openTicket } from './support.js';

const queue = async (token: string): Promise<Json[]> => {
  const res = await api.get('/queue', { token });
  expect(res.status).toBe(200);
  return res.body.items;
};

describe('the chat queue', () => {
  it('lists unassigned open chats oldest first, and loses them when taken or resolved', async () => {
    const caio = await world.agent();
    const first = await startChat(await connectAs(await world.platformUser()));
    const second = await startChat(await connectAs(await world.platformUser()));
    const portal = await openTicket(await world.customer());
    const waiting = ids(await queue(caio.token));
    expect(waiting).toEqual(expect.arrayContaining([first.ticket.id, second.ticket.id]));
    expect(waiting.indexOf(first.ticket.id)).toBeLessThan(waiting.indexOf(second.ticket.id));
    expect(waiting).not.toContain(portal.id);

    await api.patch(`/tickets/${first.ticket.id}`, { token: caio.token, body: { assigneeId: caio.user.id } });
    await api.patch(`/tickets/${second.ticket.id}`, { token: caio.token, body: { status: 'resolved' } });
    const after = ids(await queue(caio.token));
    expect(after).not.toContain(first.ticket.id);
    expect(after).not.toContain(second.ticket.id);

    // Reopened and unassigned again, a chat is back in line.
    await api.patch(`/tickets/${second.ticket.id}`, { token: caio.token, body: { status: 'open' } });
    expect(ids(await queue(caio.token))).toContain(second.ticket.id);
  });

  it('is for agents and admins only', async () => {
    expect((await api.get('/queue', { token: (await world.customer()).token })).status).toBe(403);
    expect((await api.get('/queue', { token: (await world.auditor()).token })).status).toBe(403);
    expect((await api.get('/queue', { token: (await world.admin()).token })).status).toBe(200);
  });
});

describe('the status follows the conversation', () => {
  it('opens a new ticket an agent takes or answers, and hands one waiting for the customer back on their reply', async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const get = async (id: string) => (await api.get(`/tickets/${id}`, { token: ana.token })).body.ticket;
    const changes = async (id: string) =>
      (await api.get(`/tickets/${id}/events`, { token: ana.token })).body.items.map((e: Json) =>
        e.type === 'status_changed' ? [e.type, e.data.from, e.data.to, e.actor.id] : [e.type, e.actor.id],
      );

    const taken = await openTicket(ana);
    const took = await api.patch(`/tickets/${taken.id}`, { token: caio.token, body: { assigneeId: caio.user.id } });
    expect(took.body.ticket).toMatchObject({ status: 'open', assigneeId: caio.user.id, version: 2 });
    expect(await changes(taken.id)).toEqual([
      ['created', ana.user.id],
      ['assigned', caio.user.id],
      ['status_changed', 'new', 'open', caio.user.id],
    ]);

    const answered = await openTicket(ana);
    const post = (person: { token: string }, body: string) =>
      api.post(`/tickets/${answered.id}/messages`, { token: person.token, body: { body } });
    expect((await post(caio, 'Olá Ana, vou verificar.')).status).toBe(201);
    expect(await get(answered.id)).toMatchObject({ status: 'open', version: 2 });
    await api.patch(`/tickets/${answered.id}`, { token: caio.token, body: { status: 'pending_customer' } });
    // The agent writing again while waiting, and the customer writing on an open ticket, move nothing.
    expect((await post(caio, 'Pode mandar o XML?')).status).toBe(201);
    expect((await post(ana, 'Segue o XML.')).status).toBe(201);
    expect(await get(answered.id)).toMatchObject({ status: 'open', version: 5 });
    expect((await post(ana, 'Mais um detalhe.')).status).toBe(201);
    expect(await changes(answered.id)).toEqual([
      ['created', ana.user.id],
      ['message', caio.user.id],
      ['status_changed', 'new', 'open', caio.user.id],
      ['status_changed', 'open', 'pending_customer', caio.user.id],
      ['message', caio.user.id],
      ['message', ana.user.id],
      ['status_changed', 'pending_customer', 'open', ana.user.id],
      ['message', ana.user.id],
    ]);
  });
});

describe('granting portal access', () => {
  it('invites the requester of a portal_access chat to the chosen group and records it', async () => {
    const platform = await world.platformUser({ name: 'Rita Alves' });
    const request = await startChat(await connectAs(platform), {
      topic: 'portal_access',
      message: 'Sou da Acme, preciso acessar o portal.',
    });
    const group = await world.group({ name: 'Acme Ltda' });
    const caio = await world.agent();
    const res = await api.post(`/tickets/${request.ticket.id}/grant-access`, {
      token: caio.token,
      body: { groupId: group.id },
    });
    expect(res.status).toBe(201);
    expect(res.body.invite).toMatchObject({ groupId: group.id, email: platform.email, status: 'pending' });
    const [mail] = await mailTo(platform.email);
    expect(mail?.subject).toContain('Acme Ltda');

    const timeline = await api.get(`/tickets/${request.ticket.id}/events`, { token: platform.token });
    expect(timeline.body.items.at(-1)).toMatchObject({
      type: 'access_granted',
      actor: { id: caio.user.id, role: 'agent' },
      data: { groupId: group.id, email: platform.email, inviteId: res.body.invite.id },
    });
  });

  it('invites once when an agent double-clicks: both answers are the same invite', async () => {
    const platform = await world.platformUser();
    const request = await startChat(await connectAs(platform), {
      topic: 'portal_access',
      message: 'Acesso, por favor.',
    });
    const group = await world.group();
    const caio = await world.agent();
    const grant = () =>
      api.post(`/tickets/${request.ticket.id}/grant-access`, { token: caio.token, body: { groupId: group.id } });
    const [first, second] = await Promise.all([grant(), grant()]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.invite).toMatchObject({ id: first.body.invite.id, status: 'pending' });
    // A click long after the first, while the invite is still pending, answers it too.
    const later = await grant();
    expect(later.status).toBe(201);
    expect(later.body.invite.id).toBe(first.body.invite.id);

    expect(await mailTo(platform.email)).toHaveLength(1);
    const timeline = await api.get(`/tickets/${request.ticket.id}/events`, { token: caio.token });
    const granted = timeline.body.items.filter((e: Json) => e.type === 'access_granted');
    expect(granted).toHaveLength(1);
    expect(granted[0].data.inviteId).toBe(first.body.invite.id);
    const invites = await api.get(`/groups/${group.id}/invites`, { token: caio.token });
    expect(ids(invites.body.items)).toEqual([first.body.invite.id]);
  });

  it('is only for portal_access tickets, existing groups and agents', async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const billing = await openTicket(ana, { topic: 'billing' });
    const grant = (token: string, id: string, groupId: string) =>
      api.post(`/tickets/${id}/grant-access`, { token, body: { groupId } });
    expect((await grant(caio.token, billing.id, ana.group.id)).status).toBe(409);
    const access = await openTicket(ana, { topic: 'portal_access' });
    expect((await grant(caio.token, access.id, '01HZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    expect((await grant(ana.token, access.id, ana.group.id)).status).toBe(403);
    // Ana is already a member of her own group: nothing to grant.
    expect((await grant(caio.token, access.id, ana.group.id)).status).toBe(409);
  });
});

describe('pushes', () => {
  it("carry every portal write to the ticket's subscribers, in timeline order, and chats to agents", async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const ticket = await openTicket(ana);
    const watcher = await connectAs(ana);
    const subscribed = await watcher.request('ticket.subscribe', { ticketId: ticket.id });
    expect(subscribed.type).toBe('ticket.subscribed');

    await api.post(`/tickets/${ticket.id}/messages`, { token: caio.token, body: { body: 'Estamos vendo.' } });
    await api.patch(`/tickets/${ticket.id}`, {
      token: caio.token,
      body: { status: 'pending_customer', priority: 'high' },
    });
    const updated = await watcher.next((f) => f.type === 'ticket.updated' && f.ticket.status === 'pending_customer');
    expect(updated.ticket).toMatchObject({ id: ticket.id, priority: 'high', version: 3 });
    const pushed = watcher.pushedEvents(ticket.id);
    const stored = (await api.get(`/tickets/${ticket.id}/events`, { token: ana.token })).body.items;
    // The agent's answer opened the new ticket (the first status_changed) before the PATCH moved it on.
    expect(pushed.map((e: Json) => e.type)).toEqual([
      'message',
      'status_changed',
      'status_changed',
      'priority_changed',
    ]);
    expect(pushed).toEqual(stored.slice(-4));

    const agentConsole = await connectAs(caio);
    const chat = await startChat(await connectAs(await world.platformUser()));
    const queued = await agentConsole.next((f) => f.type === 'queue.updated' && f.ticket.id === chat.ticket.id);
    expect(queued.ticket).toMatchObject({ channel: 'chat', status: 'new' });
  });
});
