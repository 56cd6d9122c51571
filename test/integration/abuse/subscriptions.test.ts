// Attack: one connection subscribing to ever more tickets, each a row every fan-out of that ticket reads.
// Figure: at most 200 subscriptions per connection (the agents' queue included), counted atomically on the
// connection in DynamoDB Local: the 201st is refused with rate_limited even when sent all at once, and
// leaving one makes room for another. (Service level: 200 visible tickets per test would be slow to make;
// the WebSocket route maps the refusal to an error frame like every other, test/unit/shared/ws/handler.test.ts.)
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { openConnection, subscribe, unsubscribe } from '../../../shared/realtime/connections.js';
import { channels, listChannels } from '../../../shared/store/connections.js';
import { world } from '../../support/world.js';
import { inParallel } from './support.js';

describe('subscriptions per connection', () => {
  it('takes 200 subscriptions on one connection, refuses every one beyond, and makes room when one is left', async () => {
    const agent = await world.agent();
    const connection = { connectionId: `many-${ulid()}=`, connectedAt: Date.now() };
    await openConnection(connection, agent.principal);
    const tickets = Array.from({ length: 210 }, () => ulid());
    const outcomes = await inParallel(tickets.length, 10, (i) =>
      subscribe(connection, channels.ticket(tickets[i] as string), agent.principal).then(
        () => 'subscribed',
        (error: { code?: string }) => error.code,
      ),
    );
    // The queue took one of the 200.
    expect(outcomes.filter((o) => o === 'subscribed')).toHaveLength(199);
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(11);
    expect(await listChannels(connection.connectionId)).toHaveLength(200);

    // Subscribing again to one it has costs nothing; leaving one makes room for another.
    const held = tickets[outcomes.indexOf('subscribed')] as string;
    await subscribe(connection, channels.ticket(held), agent.principal);
    const refused = tickets[outcomes.indexOf('rate_limited')] as string;
    await expect(subscribe(connection, channels.ticket(refused), agent.principal)).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await unsubscribe(connection, channels.ticket(held));
    await subscribe(connection, channels.ticket(refused), agent.principal);
    expect(await listChannels(connection.connectionId)).toHaveLength(200);
  });
});
