// Bad input over a real WebSocket: every frame gets an answer in the contract's shape, never a silence
// and never a 500.
import { describe, expect, it } from 'vitest';
import { world } from '../../support/world.js';
import { refusedWs } from '../../support/ws.js';
import { connectAs, connectionTicket, expectError, expectReply } from './support.js';

const validActions = ['chat.start', 'message.send', 'ticket.subscribe', 'ticket.unsubscribe', 'typing', 'ping'];

describe('WebSocket frames', () => {
  it('answers ping with pong, echoing the requestId', async () => {
    const client = await connectAs(await world.platformUser());
    client.send({ action: 'ping', requestId: 'my-ping-1' });
    expect(await client.next()).toEqual({ type: 'pong', requestId: 'my-ping-1' });
  });

  it('answers a frame that is not JSON with malformed_json', async () => {
    const client = await connectAs(await world.platformUser());
    client.sendRaw('olá, tudo bem?');
    expect(await client.next()).toMatchObject({
      type: 'error',
      requestId: expect.any(String),
      error: { code: 'malformed_json' },
    });
  });

  it('answers a frame without an action with validation_failed naming the valid actions', async () => {
    const client = await connectAs(await world.platformUser());
    client.send({ requestId: 'no-action', ticketId: 'x' });
    const reply = await client.next();
    expect(reply).toMatchObject({ type: 'error', requestId: 'no-action', error: { code: 'validation_failed' } });
    for (const action of validActions) expect(reply.error.message).toContain(action);
  });

  it('answers an unknown action with validation_failed naming the valid actions', async () => {
    const client = await connectAs(await world.platformUser());
    const reply = await expectError(client, 'validation_failed', 'ticket.delete', { ticketId: 'x' });
    expect(reply.error.message).toContain('unknown action');
    for (const action of validActions) expect(reply.error.message).toContain(action);
  });

  it('refuses a frame over 32 KiB with payload_too_large and keeps the connection open', async () => {
    const client = await connectAs(await world.platformUser());
    client.send({ action: 'message.send', ticketId: 'x', clientMessageId: 'big', body: 'x'.repeat(33 * 1024) });
    expect(await client.next()).toMatchObject({ type: 'error', error: { code: 'payload_too_large' } });
    await expectReply(client, 'pong', 'ping');
  });

  it('names every field that fails, unknown ones included', async () => {
    const client = await connectAs(await world.platformUser());
    const reply = await expectError(client, 'validation_failed', 'message.send', { body: '', extra: true });
    expect(reply.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['body', 'clientMessageId', 'extra', 'ticketId'].sort(),
    );
  });

  it('answers a ticket id that does not exist with not_found', async () => {
    const client = await connectAs(await world.customer());
    const unknown = '01JAAAAAAAAAAAAAAAAAAAAAAA';
    await expectError(client, 'not_found', 'ticket.subscribe', { ticketId: unknown });
    await expectError(client, 'not_found', 'message.send', { ticketId: unknown, body: 'oi', clientMessageId: 'c1' });
    await expectError(client, 'not_found', 'message.send', {
      ticketId: 'nem-um-id',
      body: 'oi',
      clientMessageId: 'c2',
    });
    await expectError(client, 'not_found', 'typing', { ticketId: unknown });
  });
});

describe('opening a connection', () => {
  it("refuses a browser page from an origin that is not the web app's", async () => {
    const ticket = await connectionTicket(await world.customer());
    const refused = await refusedWs({ ticket }, { headers: { Origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
  });

  it("accepts the web app's own pages", async () => {
    const origin = (process.env.WEB_ORIGINS ?? '').split(',')[0] as string;
    expect(origin).toMatch(/^http/);
    const client = await connectAs(await world.customer(), { headers: { Origin: origin } });
    await expectReply(client, 'pong', 'ping');
  });
});
