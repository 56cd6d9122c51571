import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../../shared/observability/logger.js';
import {
  eventPush,
  fanoutConcurrency,
  publishEvent,
  publishQueue,
  publishToTicket,
  ticketPush,
} from '../../../../shared/realtime/fanout.js';
import { mockFanout } from './mock-fanout.js';

const { dynamo, gateway } = mockFanout();

beforeEach(() => {
  dynamo.on(DeleteCommand).resolves({});
});
afterEach(() => vi.restoreAllMocks());

const event = { id: '01J0000000000000000000EVNT', ticketId: '01J0000000000000000000TCKT' };

function subscribers(channel: string, ids: string[]) {
  dynamo
    .on(QueryCommand, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SUB#${channel}` } })
    .resolves({ Items: ids.map((connectionId) => ({ connectionId })) });
}

const postedTo = () => gateway.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input.ConnectionId);

describe('fan-out', () => {
  it("pushes an event to every subscriber of the ticket but the sender's own connection", async () => {
    subscribers(`ticket#${event.ticketId}`, ['a', 'sender', 'b']);

    await publishEvent(event.ticketId, event as never, { except: 'sender' });

    expect(postedTo().sort()).toEqual(['a', 'b']);
    const data = gateway.commandCalls(PostToConnectionCommand)[0]?.args[0].input.Data as Uint8Array;
    expect(JSON.parse(Buffer.from(data).toString())).toEqual({ type: 'event', ticketId: event.ticketId, event });
  });

  it('pushes a note only to subscribers whose role is staff (and not to one whose role is unknown)', async () => {
    dynamo
      .on(QueryCommand, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUB#ticket#${event.ticketId}` },
      })
      .resolves({
        Items: [
          { connectionId: 'customer', role: 'customer' },
          { connectionId: 'platform', role: 'platform_user' },
          { connectionId: 'agent', role: 'agent' },
          { connectionId: 'auditor', role: 'auditor' },
          { connectionId: 'unknown' },
        ],
      });

    await publishEvent(event.ticketId, { ...event, type: 'note' } as never);
    expect(postedTo().sort()).toEqual(['agent', 'auditor']);

    gateway.resetHistory();
    await publishEvent(event.ticketId, { ...event, type: 'message' } as never);
    expect(postedTo().sort()).toEqual(['agent', 'auditor', 'customer', 'platform', 'unknown']);
  });

  it('finds subscribers with a paged Query and reaches those on every page', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ connectionId: 'a' }], LastEvaluatedKey: { pk: 'x', sk: 'y' } })
      .resolvesOnce({ Items: [{ connectionId: 'b' }] });

    await publishQueue({ id: 'T' } as never);

    expect(postedTo().sort()).toEqual(['a', 'b']);
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries[0]?.ExpressionAttributeValues).toEqual({ ':pk': 'SUB#queue' });
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'x', sk: 'y' });
  });

  it('forgets a connection that answers 410 Gone, with its subscriptions, and still reaches the others', async () => {
    subscribers(`ticket#${event.ticketId}`, ['a', 'gone', 'b']);
    dynamo
      .on(QueryCommand, { IndexName: 'gsi1', ExpressionAttributeValues: { ':pk': 'CONN#gone' } })
      .resolves({ Items: [{ channel: `ticket#${event.ticketId}` }, { channel: 'queue' }] });
    gateway
      .on(PostToConnectionCommand, { ConnectionId: 'gone' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));

    await expect(publishEvent(event.ticketId, event as never)).resolves.toBeUndefined();

    expect(postedTo().sort()).toEqual(['a', 'b', 'gone']);
    const deleted = dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key);
    expect(deleted).toEqual(
      expect.arrayContaining([
        { pk: `SUB#ticket#${event.ticketId}`, sk: 'CONN#gone' },
        { pk: 'SUB#queue', sk: 'CONN#gone' },
        { pk: 'CONN#gone', sk: 'META' },
      ]),
    );
    expect(deleted).toHaveLength(3);
  });

  it("logs 'fanout failed' for any other error, keeps the connection and never fails the caller", async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    subscribers(`ticket#${event.ticketId}`, ['a', 'broken', 'b']);
    gateway
      .on(PostToConnectionCommand, { ConnectionId: 'broken' })
      .rejects(Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 500 } }));

    await expect(publishEvent(event.ticketId, event as never)).resolves.toBeUndefined();

    expect(postedTo().sort()).toEqual(['a', 'b', 'broken']);
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
    expect(errors).toHaveBeenCalledWith('fanout failed', expect.objectContaining({ connectionId: 'broken' }));
  });

  it("never fails the caller when the subscribers cannot be read, and says 'fanout failed'", async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    dynamo.on(QueryCommand).rejects(new Error('table unreachable'));

    await expect(publishEvent(event.ticketId, event as never)).resolves.toBeUndefined();

    expect(postedTo()).toEqual([]);
    expect(errors).toHaveBeenCalledWith(
      'fanout failed',
      expect.objectContaining({ channel: `ticket#${event.ticketId}` }),
    );
  });

  /** Subscribers for three pools' worth of posts, and the most posts that were in flight at once. */
  function countInFlight() {
    const ids = Array.from({ length: fanoutConcurrency * 3 }, (_, i) => `c${i}`);
    subscribers(`ticket#${event.ticketId}`, ids);
    const counts = { ids, inFlight: 0, most: 0 };
    gateway.on(PostToConnectionCommand).callsFake(async () => {
      counts.inFlight += 1;
      counts.most = Math.max(counts.most, counts.inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      counts.inFlight -= 1;
      return {};
    });
    return counts;
  }

  it('posts concurrently, never more than the pool size at once', async () => {
    const counts = countInFlight();

    await publishEvent(event.ticketId, event as never);

    expect(postedTo()).toHaveLength(counts.ids.length);
    expect(counts.most).toBe(fanoutConcurrency);
  });

  it('posts one at a time when the caller asks for a pool of 1', async () => {
    const counts = countInFlight();

    await publishEvent(event.ticketId, event as never, { concurrency: 1 });

    expect(postedTo()).toHaveLength(counts.ids.length);
    expect(counts.most).toBe(1);
  });

  it('records, once per person, the events that reached a connection of theirs, for their notification', async () => {
    const second = { ...event, id: '01J0000000000000000000EVN2' };
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': `SUB#ticket#${event.ticketId}` } }).resolves({
      Items: [
        { connectionId: 'ana-phone', userId: 'ana' },
        { connectionId: 'ana-laptop', userId: 'ana' },
        { connectionId: 'bia', userId: 'bia' },
        { connectionId: 'caio-sender', userId: 'caio' },
        { connectionId: 'dora-broken', userId: 'dora' },
      ],
    });
    dynamo.on(UpdateCommand).resolves({});
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    gateway.on(PostToConnectionCommand, { ConnectionId: 'dora-broken' }).rejects(new Error('boom'));

    await publishToTicket(event.ticketId, [
      eventPush(event.ticketId, event as never, 'caio-sender'),
      eventPush(event.ticketId, second as never),
      ticketPush({ id: event.ticketId } as never),
    ]);

    const marks = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(
      marks.map((m) => [
        m.Key?.sk,
        [...((m.ExpressionAttributeValues?.[':ids'] as Set<string> | undefined) ?? [])].sort(),
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['NOTIFY#ana', [second.id, event.id]],
        ['NOTIFY#bia', [second.id, event.id]],
        // The sender's own connection got the first event as its reply, not as a push.
        ['NOTIFY#caio', [second.id]],
      ]),
    );
    expect(marks).toHaveLength(3);
    expect(marks[0]?.ConditionExpression).toContain('attribute_exists(pk)');
  });

  it('records nothing for pushes outside a ticket (the queue)', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ connectionId: 'a', userId: 'caio' }] });

    await publishQueue({ id: 'T' } as never);

    expect(postedTo()).toEqual(['a']);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
