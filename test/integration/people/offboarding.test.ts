// The "done when" (issue 13): an agent joins by invitation and works a ticket; a customer with a
// live connection leaves the company; the agent is disabled — and the audit trail answers who did what.
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { api } from '../../support/http.js';
import { waitForLine } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { connectAs, expectError, expectReply } from '../chat/support.js';
import { openTicket } from '../tickets/support.js';
import { accept, audit, invitationToken, newEmail, signIn } from './support.js';

const withoutRequestId = ({ requestId: _, ...rest }: { requestId?: string }) => rest;

describe('offboarding, through the real local parts', () => {
  it('an invited agent works a ticket; a customer who leaves the company and an agent who is disabled lose access at once', async () => {
    const admin = await world.admin();

    // The admin invites an agent by e-mail; the agent accepts from the link in the e-mail.
    const agentEmail = newEmail('agent');
    const invited = await api.post('/staff/invites', {
      token: admin.token,
      body: { email: agentEmail, name: 'Carla Agente', role: 'agent' },
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body.invite).toMatchObject({ groupId: null, role: 'agent', email: agentEmail, status: 'pending' });
    const link = await invitationToken(agentEmail);
    const lookup = await api.get(`/invites/lookup?token=${encodeURIComponent(link)}`);
    expect(lookup.body).toEqual({
      email: agentEmail,
      groupName: null,
      role: 'agent',
      existingAccount: false,
      expiresAt: invited.body.invite.expiresAt,
    });
    const agentPassword = 'senha da agente carla';
    const agent = await accept(link, 'Carla Agente', agentPassword);
    expect(agent.user).toMatchObject({ role: 'agent', status: 'active' });
    const staff = await api.get('/staff', { token: admin.token });
    expect(staff.body.items).toContainEqual(expect.objectContaining({ id: agent.user.id, role: 'agent' }));

    // A customer of a company opens a ticket and follows it live; the agent answers it.
    const company = await world.group({ name: 'Ótica Boa Vista' });
    const customer = await world.customer({ group: company });
    const session = await signIn(customer.email, customer.password as string);
    const ticket = await openTicket(customer);
    const customerSocket = await connectAs({ token: session.token });
    await expectReply(customerSocket, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    const answered = await api.post(`/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'Olá! Vou verificar a nota.' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    await customerSocket.next((f) => f.type === 'event' && f.event.id === answered.body.event.id);

    // The customer leaves the company.
    const removed = await api.delete(`/groups/${company.id}/members/${customer.user.id}`, { token: admin.token });
    expect(removed.status).toBe(204);
    expect((await api.get(`/tickets/${ticket.id}`, { token: session.token })).status).toBe(404);
    const later = await api.post(`/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'Encontrei o problema.' },
    });
    expect(later.status).toBe(201);
    // The push went out before the agent's answer came back; the customer's next frame is its own pong.
    const pushedBefore = customerSocket.frames.length;
    await expectReply(customerSocket, 'pong', 'ping');
    expect(customerSocket.frames.slice(pushedBefore).map((f) => f.type)).toEqual(['pong']);
    expect(JSON.stringify(customerSocket.frames)).not.toContain(later.body.event.id);
    await expectError(customerSocket, 'not_found', 'ticket.subscribe', { ticketId: ticket.id });
    // A refresh gives a new token, for the person as they are now.
    const refreshed = await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.groups).toEqual([]);
    expect((await api.get(`/tickets/${ticket.id}`, { token: refreshed.body.accessToken })).status).toBe(404);
    // The ticket stays with the company.
    const kept = await api.get(`/tickets/${ticket.id}`, { token: agent.token });
    expect(kept.body.ticket).toMatchObject({ id: ticket.id, groupId: company.id });

    // The agent is disabled.
    const agentSocket = await connectAs({ token: agent.token });
    await expectReply(agentSocket, 'pong', 'ping');
    const disabled = await api.patch(`/users/${agent.user.id}`, { token: admin.token, body: { status: 'disabled' } });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(disabled.body.user).toMatchObject({ id: agent.user.id, status: 'disabled' });
    const next = await api.get('/me', { token: agent.token });
    expect(next.status).toBe(401);
    expect(next.body.error.code).toBe('unauthenticated');
    await agentSocket.closed;
    const signInAgain = await api.post('/auth/login', { body: { email: agentEmail, password: agentPassword } });
    const wrongPassword = await api.post('/auth/login', { body: { email: agentEmail, password: 'not her password' } });
    expect(signInAgain.status).toBe(401);
    expect(withoutRequestId(signInAgain.body)).toEqual(withoutRequestId(wrongPassword.body));
    expect(signInAgain.body.error.code).toBe('invalid_credentials');
    expect((await api.post('/auth/refresh', { body: { refreshToken: agent.refreshToken } })).status).toBe(401);

    // The audit trail: who did each step, to whom.
    await waitForLine('the refused sign-in', (l) => l.requestId === signInAgain.headers['x-request-id']);
    const changes = await eventually(async () => {
      const lines = await audit(['--access-changes']);
      return lines.some((l) => l.action === 'user.update' && l.resource?.id === agent.user.id) && lines;
    }, 'the access changes');
    const by = (action: string, target: string | undefined) =>
      changes.filter((l) => l.action === action && l.resource?.id === target);
    expect(by('staff.invite', agentEmail)).toEqual([
      expect.objectContaining({ status: 201, principal: expect.objectContaining({ userId: admin.user.id }) }),
    ]);
    expect(changes).toContainEqual(
      expect.objectContaining({
        action: 'invite.accept',
        principal: expect.objectContaining({ userId: agent.user.id }),
      }),
    );
    expect(by('group.member_remove', customer.user.id)).toEqual([
      expect.objectContaining({ status: 204, principal: expect.objectContaining({ userId: admin.user.id }) }),
    ]);
    expect(by('user.update', agent.user.id)).toEqual([
      expect.objectContaining({ status: 200, principal: expect.objectContaining({ userId: admin.user.id }) }),
    ]);
    // Everything the agent did, refusals included: the work, the refused request, the refused sign-in and why.
    const agentTrail = await audit(['--user', agent.user.id]);
    expect(agentTrail).toContainEqual(expect.objectContaining({ action: 'ticket.message', status: 201 }));
    expect(agentTrail).toContainEqual(
      expect.objectContaining({ action: 'me.get', status: 401, reason: 'access_revoked' }),
    );
    expect(agentTrail).toContainEqual(expect.objectContaining({ action: 'user.update', status: 200 }));
    const refusedSignIn = (await audit(['--user', agentEmail])).find(
      (l) => l.requestId === signInAgain.headers['x-request-id'],
    );
    expect(refusedSignIn).toMatchObject({ status: 401, errorCode: 'invalid_credentials', reason: 'account_disabled' });
  });
});
