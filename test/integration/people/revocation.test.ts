// A revocation takes effect on the person's next request (api.md, "People over time"): an access token or a
// connection from before it is refused or narrowed on the next HTTP request and the next frame, live
// connections are closed (or stop receiving a group's tickets), and refresh tokens stop.
import { describe, expect, it } from 'vitest';
import { transact } from '../../../shared/store/dynamo.js';
import { getUser, profileChangeItem } from '../../../shared/store/users.js';
import { api } from '../../support/http.js';
import { linkToken, waitForMail } from '../../support/mailbox.js';
import { type Person, world } from '../../support/world.js';
import { refusedWs } from '../../support/ws.js';
import { connectAs, connectionTicket, expectError, expectReply } from '../chat/support.js';
import { openTicket } from '../tickets/support.js';
import { signIn } from './support.js';

/** Someone signed in for real (a refresh token too), with a socket open and following `ticketId`. */
async function followed(person: Person, ticketId: string) {
  const session = await signIn(person.email, person.password as string);
  const socket = await connectAs({ token: session.token });
  await expectReply(socket, 'ticket.subscribed', 'ticket.subscribe', { ticketId });
  return { session, socket };
}

async function resetPassword(email: string, password: string): Promise<void> {
  expect((await api.post('/auth/password-reset', { body: { email } })).status).toBe(202);
  const [mail] = await waitForMail(email);
  const token = linkToken(mail as NonNullable<typeof mail>, 'reset-password');
  expect((await api.post('/auth/password-reset/confirm', { body: { token, password } })).status).toBe(204);
}

describe('a revocation ends what was issued before it', () => {
  const revocations = [
    [
      'disabled by an admin',
      async (person: Person) => {
        const admin = await world.admin();
        const res = await api.patch(`/users/${person.user.id}`, { token: admin.token, body: { status: 'disabled' } });
        expect(res.status).toBe(200);
      },
    ],
    [
      'signed out everywhere',
      async (_: Person, token: string) => {
        expect((await api.post('/auth/logout-all', { token })).status).toBe(204);
      },
    ],
    [
      'given a new password',
      async (person: Person) => {
        await resetPassword(person.email, 'a brand new password for the test');
      },
    ],
  ] as const;

  it.each(revocations)(
    'when %s: the next request is 401, the open socket is closed, refresh stops, a connection ticket from before is refused',
    async (_, revoke) => {
      const group = await world.group();
      const customer = await world.customer({ group });
      const ticket = await openTicket(customer);
      const { session, socket } = await followed(customer, ticket.id);
      const spareTicket = await connectionTicket({ token: session.token });

      await revoke(customer, session.token);

      const next = await api.get(`/tickets/${ticket.id}`, { token: session.token });
      expect(next.status).toBe(401);
      expect(next.body.error.code).toBe('unauthenticated');
      expect((await api.get('/me', { token: customer.token })).status).toBe(401);
      await socket.closed;
      expect((await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
      expect((await refusedWs({ ticket: spareTicket })).status).toBe(401);
    },
  );

  it('when an agent becomes an auditor: the old token is refused, the socket closed, a new sign-in is an auditor', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    const group = await world.group();
    const ticket = await openTicket(await world.customer({ group }));
    const { session, socket } = await followed(agent, ticket.id);
    const changed = await api.patch(`/users/${agent.user.id}`, { token: admin.token, body: { role: 'auditor' } });
    expect(changed.body.user).toMatchObject({ role: 'auditor' });

    const reply = await api.post(`/tickets/${ticket.id}/messages`, { token: session.token, body: { body: 'Olá' } });
    expect(reply.status).toBe(401);
    await socket.closed;
    expect((await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    const again = await signIn(agent.email, agent.password as string);
    expect(again.user.role).toBe('auditor');
    const asAuditor = await api.post(`/tickets/${ticket.id}/messages`, { token: again.token, body: { body: 'Olá' } });
    expect(asAuditor.status).toBe(403);
  });

  it('refuses the next frame of a connection that a revocation could not close', async () => {
    const group = await world.group();
    const customer = await world.customer({ group });
    const ticket = await openTicket(customer);
    const { socket } = await followed(customer, ticket.id);
    // What a revocation writes, without the closing that follows it (as if API Gateway had failed to close).
    const user = await getUser(customer.user.id);
    await transact([profileChangeItem(user as NonNullable<typeof user>, { revokeAt: new Date() })]);

    await expectError(socket, 'unauthenticated', 'message.send', {
      ticketId: ticket.id,
      body: 'still here?',
      clientMessageId: 'cm-after-revocation',
    });
    await expectError(socket, 'unauthenticated', 'ticket.subscribe', { ticketId: ticket.id });
    const timeline = await api.get(`/tickets/${ticket.id}/events`, { token: (await world.agent()).token });
    expect(JSON.stringify(timeline.body)).not.toContain('still here?');
  });
});

describe('leaving a group', () => {
  it("narrows the person at once: the group's tickets answer 404 over HTTP and WebSocket, pushes stop, other groups stay", async () => {
    const [company, other] = [await world.group(), await world.group()];
    const customer = await world.customer({ groups: [company, other] });
    const colleague = await world.customer({ group: company });
    const ticket = await openTicket(customer, { groupId: company.id });
    const kept = await openTicket(customer, { groupId: other.id });
    const { session, socket } = await followed(customer, ticket.id);
    await expectReply(socket, 'ticket.subscribed', 'ticket.subscribe', { ticketId: kept.id });
    const agent = await world.agent();

    const removed = await api.delete(`/groups/${company.id}/members/${customer.user.id}`, { token: agent.token });
    expect(removed.status).toBe(204);

    // HTTP: the token from before is evaluated with the groups of now.
    expect((await api.get(`/tickets/${ticket.id}`, { token: session.token })).status).toBe(404);
    expect((await api.get(`/tickets/${ticket.id}`, { token: customer.token })).status).toBe(404);
    const listed = await api.get('/tickets', { token: session.token });
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([kept.id]);
    expect((await api.get(`/groups/${company.id}/members`, { token: session.token })).status).toBe(404);
    expect((await api.get(`/tickets/${kept.id}`, { token: session.token })).status).toBe(200);
    // WebSocket: frames on the group's ticket are refused; pushes of it stop, those of the other group go on.
    await expectError(socket, 'not_found', 'message.send', {
      ticketId: ticket.id,
      body: 'ainda vejo?',
      clientMessageId: 'cm-after-removal',
    });
    const hidden = await api.post(`/tickets/${ticket.id}/messages`, {
      token: colleague.token,
      body: { body: 'interno' },
    });
    const shown = await api.post(`/tickets/${kept.id}/messages`, { token: agent.token, body: { body: 'Resposta' } });
    await socket.next((f) => f.type === 'event' && f.event.id === shown.body.event.id);
    await expectReply(socket, 'pong', 'ping');
    expect(JSON.stringify(socket.frames)).not.toContain(hidden.body.event.id);
    // A refresh does not bring the group back.
    const refreshed = await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refreshed.body.user.groups).toEqual([{ id: other.id, name: other.name }]);
    expect((await api.get(`/tickets/${ticket.id}`, { token: refreshed.body.accessToken })).status).toBe(404);
    // The colleague still works the ticket, which stayed with the company.
    expect(hidden.status).toBe(201);
  });

  it('is for agents and admins: a member is told 403, an outsider and a missing group or member get 404', async () => {
    const group = await world.group();
    const member = await world.customer({ group });
    const colleague = await world.customer({ group });
    const outsider = await world.customer();
    const auditor = await world.auditor();
    const admin = await world.admin();
    const path = `/groups/${group.id}/members/${colleague.user.id}`;
    expect((await api.delete(path, { token: member.token })).status).toBe(403);
    expect((await api.delete(path, { token: auditor.token })).status).toBe(403);
    const hidden = await api.delete(path, { token: outsider.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    expect(
      (await api.delete(`/groups/01JZZZZZZZZZZZZZZZZZZZZZZZ/members/${colleague.user.id}`, { token: admin.token }))
        .status,
    ).toBe(404);
    expect((await api.delete(`/groups/${group.id}/members/${outsider.user.id}`, { token: admin.token })).status).toBe(
      404,
    );
    // Nothing changed for the colleague.
    expect((await api.get(`/groups/${group.id}/members`, { token: colleague.token })).status).toBe(200);
  });
});
