// Attack: one person opening WebSocket connections without end, each a slot in every fan-out.
// Figure: 10 open connections per person; the 11th is refused with 429 during the upgrade and its
// connection ticket is spent; closing one lets the next in; connections whose $disconnect never came stop
// counting when they expire; connections a revocation closes (shared/realtime/connections.ts closeConnectionsOf)
// give their slots back.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { openConnection } from '../../../shared/realtime/connections.js';
import { eventually } from '../../support/eventually.js';
import { api } from '../../support/http.js';
import { waitForLine } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { connectWs, refusedWs } from '../../support/ws.js';
import { type ChatClient, connectAs, connectionTicket, expectReply } from '../chat/support.js';

describe('WebSocket connections per person', () => {
  it('refuses an 11th open connection with 429 at $connect, spends its ticket, and lets one in once another closes', async () => {
    const customer = await world.customer();
    const open: ChatClient[] = [];
    for (let i = 0; i < 10; i++) open.push(await connectAs(customer, { timeoutMs: 30_000 }));
    for (const client of open) await expectReply(client, 'pong', 'ping');

    const ticket = await connectionTicket(customer);
    const refused = await refusedWs({ ticket });
    // API Gateway answers the upgrade with $connect's status and its own body.
    expect(refused.status).toBe(429);
    const refusal = await waitForLine('the refused $connect', (l) => l.route === 'ws $connect' && l.status === 429);
    expect(refusal).toMatchObject({ errorCode: 'rate_limited', principal: { userId: customer.user.id } });
    // The ticket was spent by the refused attempt.
    expect((await refusedWs({ ticket })).status).toBe(401);

    // Someone else is not affected.
    const colleague = await world.customer();
    await expectReply(await connectAs(colleague), 'pong', 'ping');

    await open[0]?.close();
    const next = await eventually(
      async () => {
        try {
          return await connectWs({ ticket: await connectionTicket(customer) });
        } catch {
          return undefined;
        }
      },
      'a connection accepted once one of the 10 closed',
      30_000,
    );
    next.send({ action: 'ping', requestId: 'after-close' });
    expect(await next.next((f) => f.requestId === 'after-close')).toMatchObject({ type: 'pong' });
    await next.close();
  });

  it('does not count connections whose $disconnect never came once they expired (API Gateway closes them at 2 hours)', async () => {
    const customer = await world.customer();
    // What lost $disconnects leave behind: ten connections stored three hours ago, long past their expiry.
    const threeHoursAgo = Date.now() - 3 * 60 * 60 * 1000;
    for (let i = 0; i < 10; i++) {
      await openConnection({ connectionId: `lost-${ulid()}=`, connectedAt: threeHoursAgo }, customer.principal);
    }
    const client = await connectAs(customer);
    await expectReply(client, 'pong', 'ping');
  });

  it('gives the slots of connections a revocation closed back: after signing out everywhere, the person opens 10 again', async () => {
    const customer = await world.customer();
    const before: ChatClient[] = [];
    for (let i = 0; i < 10; i++) before.push(await connectAs(customer, { timeoutMs: 30_000 }));
    for (const client of before) await expectReply(client, 'pong', 'ping');

    expect((await api.post('/auth/logout-all', { token: customer.token })).status).toBe(204);
    await Promise.all(before.map((client) => client.closed));

    const signedIn = await api.post('/auth/login', { body: { email: customer.email, password: customer.password } });
    expect(signedIn.status).toBe(200);
    const again = { token: signedIn.body.accessToken as string };
    const after: ChatClient[] = [];
    for (let i = 0; i < 10; i++) after.push(await connectAs(again, { timeoutMs: 30_000 }));
    for (const client of after) await expectReply(client, 'pong', 'ping');
  });
});
