// Attack: a frame flood on one connection (every frame a Lambda, `typing` a fan-out to every subscriber),
// and an oversized frame.
// Figures: 20 frames per second sustained, bursts of 40: of 300 pings sent at once at least 40 are answered
// and the rest get an error frame `rate_limited` echoing their requestId, while another connection of the
// same person is served; `typing` reaches subscribers at most once per ticket every 2 seconds; a 40 KiB
// frame's `payload_too_large` error carries its requestId.
import { describe, expect, it } from 'vitest';
import { waitForLog } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { connectAs, expectReply, startChat } from '../chat/support.js';

describe('WebSocket frames', () => {
  it('answers a flood of 300 pings with rate_limited beyond the burst, echoing each requestId, while another connection is served', async () => {
    const person = await world.platformUser();
    const flooder = await connectAs(person);
    const other = await connectAs(person);
    const ids = Array.from({ length: 300 }, (_, i) => `flood-${i}`);
    for (const requestId of ids) flooder.send({ action: 'ping', requestId });
    // Served meanwhile: another connection of the same person (its wait is the machine's, not a limit's).
    other.send({ action: 'ping', requestId: 'other-1' });
    expect(await other.next((f) => f.requestId === 'other-1', 60_000)).toMatchObject({ type: 'pong' });

    const replies = await Promise.all(ids.map((id) => flooder.next((f) => f.requestId === id, 60_000)));
    const pongs = replies.filter((r) => r.type === 'pong');
    const limited = replies.filter((r) => r.type === 'error');
    expect(pongs.length).toBeGreaterThanOrEqual(40);
    expect(limited.length).toBeGreaterThan(0);
    expect(pongs.length + limited.length).toBe(300);
    for (const reply of limited) expect(reply.error.code).toBe('rate_limited');
  });

  it('refuses a 40 KiB frame with payload_too_large echoing the requestId it sent first', async () => {
    const client = await connectAs(await world.platformUser());
    client.sendRaw(
      JSON.stringify({ requestId: 'big-1', action: 'message.send', ticketId: 'T', body: 'x'.repeat(40 * 1024) }),
    );
    const reply = await client.next((f) => f.type === 'error');
    expect(reply).toMatchObject({ type: 'error', requestId: 'big-1', error: { code: 'payload_too_large' } });
  });

  it('passes on at most one typing frame per ticket every 2 seconds; the extra ones are dropped silently', async () => {
    const person = await world.platformUser();
    const typist = await connectAs(person);
    const { ticket } = await startChat(typist);
    const agent = await connectAs(await world.agent());
    await expectReply(agent, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });

    const startedAt = Date.now();
    for (let i = 0; i < 10; i++) typist.send({ action: 'typing', ticketId: ticket.id });
    // Each typing frame's line is written once its fan-out is done.
    await waitForLog(
      'the 10 typing frames',
      (lines) => lines.filter((l) => l.route === 'ws typing' && l.resource?.id === ticket.id).length >= 10,
    );
    const elapsed = Date.now() - startedAt;
    const typing = agent.frames.filter((f) => f?.type === 'typing' && f.ticketId === ticket.id);
    expect(typing.length).toBeGreaterThanOrEqual(1);
    expect(typing.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 2000));
    // Nothing was said to the typist about the dropped ones.
    expect(typist.frames.filter((f) => f?.type === 'error')).toEqual([]);
  });
});
