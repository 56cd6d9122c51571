// DynamoDB misbehaving under a running gateway: throttling and server errors injected by a proxy in front
// of DynamoDB Local. The SDK retries; what still fails is a 503 `unavailable` (never a 500), and a write that
// failed left nothing behind — checked on the proxy (no write reached DynamoDB) and by reading the table.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, openClient, type RealtimeClient } from '../../../bench/clients.js';
import type { Operation } from '../../../bench/fault-proxy.js';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import type { Group } from '../../../shared/domain/groups.js';
import { readCounter, ticketNumberCounter } from '../../../shared/store/counters.js';
import { ticketIndexes } from '../../../shared/store/tickets.js';
import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from './isolated.js';

const isolated = useIsolatedGateway();
const writes = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const isTransaction = (request: { name: string }) => request.name === 'TransactWriteItems';

let group: Group;
let customer: Person;
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  group = await world.group();
  customer = await world.customer({ group });
});

afterEach(async () => {
  isolated.dynamo.clearFaults();
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

const http = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(isolated.urls.httpUrl, method, path, { token: customer.token, body, headers });

const newTicket = (subject = `Nota ${ulid()}`) => ({
  groupId: group.id,
  topic: 'fiscal_document',
  subject,
  description: 'A nota fiscal foi rejeitada pela SEFAZ',
});

/** What DynamoDB itself (not the fault) received from the requests since `mark`. */
const reached = (mark: number): Operation[] => isolated.dynamo.since(mark).filter((o) => o.fault === undefined);

/** The group's tickets, read from the table directly. */
async function ticketsInGroup(): Promise<Json[]> {
  const { index, pk } = ticketIndexes.group(group.id);
  const { Items } = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return Items ?? [];
}

function expectUnavailable(answer: { status: number; body: Json }) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.body).toEqual({
    error: { code: 'unavailable', message: expect.any(String) },
    requestId: expect.any(String),
  });
}

describe('a throttled DynamoDB', () => {
  it('is retried by the SDK: a request whose first attempts are throttled still creates exactly one ticket', async () => {
    const before = await readCounter(ticketNumberCounter);
    const mark = isolated.dynamo.mark();
    isolated.dynamo.inject({ fault: 'throttle', match: isTransaction, times: 2 });

    const answer = await http('POST', '/tickets', newTicket());

    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const attempts = isolated.dynamo.since(mark).filter(isTransaction);
    expect(attempts.map((o) => o.fault ?? 'reached DynamoDB')).toEqual(['throttle', 'throttle', 'reached DynamoDB']);
    expect(answer.body.ticket.number).toBe(before.value + 1);
    expect((await ticketsInGroup()).filter((t) => t.id === answer.body.ticket.id)).toHaveLength(1);
  });

  it('answers 503 unavailable once the retries run out, and no part of the ticket was written', async () => {
    const before = await readCounter(ticketNumberCounter);
    const stored = await ticketsInGroup();
    const mark = isolated.dynamo.mark();
    isolated.dynamo.inject({ fault: 'throttle', match: isTransaction });
    const key = `retry-${ulid()}`;

    expectUnavailable(await http('POST', '/tickets', newTicket('Throttled'), { 'idempotency-key': key }));

    expect(isolated.dynamo.since(mark).filter(isTransaction).length).toBeGreaterThan(1);
    expect(reached(mark).filter((o) => writes.has(o.name))).toEqual([]);
    expect(await readCounter(ticketNumberCounter)).toEqual(before);
    expect(await ticketsInGroup()).toEqual(stored);

    // The idempotency record was not half-written either: the same request, once DynamoDB is back, creates it.
    isolated.dynamo.clearFaults();
    const again = await http('POST', '/tickets', newTicket('Throttled'), { 'idempotency-key': key });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.ticket.number).toBe(before.value + 1);
    expect(await ticketsInGroup()).toHaveLength(stored.length + 1);
  });
});

describe('an unavailable DynamoDB', () => {
  it('answers 503 to a message it could not store, and the timeline and ticket stay as they were', async () => {
    const created = await http('POST', '/tickets', newTicket());
    expect(created.status).toBe(201);
    const { id, version } = created.body.ticket;
    const timeline = (await http('GET', `/tickets/${id}/events`)).body.items;
    const mark = isolated.dynamo.mark();
    isolated.dynamo.inject({ fault: 'unavailable', match: isTransaction });

    expectUnavailable(await http('POST', `/tickets/${id}/messages`, { body: 'Alguém pode ajudar?' }));

    expect(reached(mark).filter((o) => writes.has(o.name))).toEqual([]);
    isolated.dynamo.clearFaults();
    expect((await http('GET', `/tickets/${id}/events`)).body.items).toEqual(timeline);
    expect((await http('GET', `/tickets/${id}`)).body.ticket.version).toBe(version);
  });

  it('answers 503 to a read it could not make, with the contract error body', async () => {
    isolated.dynamo.inject({ fault: 'unavailable' });
    expectUnavailable(await http('GET', '/tickets'));
  });

  it('survives dropped connections to DynamoDB: the SDK retries them transparently', async () => {
    const mark = isolated.dynamo.mark();
    isolated.dynamo.inject({ fault: 'reset', times: 2 });

    const answer = await http('POST', '/tickets', newTicket());

    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(isolated.dynamo.since(mark).filter((o) => o.fault === 'reset')).toHaveLength(2);
    expect((await ticketsInGroup()).filter((t) => t.id === answer.body.ticket.id)).toHaveLength(1);
  });

  it('replies unavailable to a chat message it could not store; resending the same clientMessageId stores it once', async () => {
    const { ticket } = (await http('POST', '/tickets', newTicket())).body;
    const sender = await openClient(isolated.urls, customer.token);
    const watcher = await openClient(isolated.urls, customer.token);
    clients.push(sender, watcher);
    for (const client of [sender, watcher]) {
      expect((await client.request({ action: 'ticket.subscribe', ticketId: ticket.id })).type).toBe(
        'ticket.subscribed',
      );
    }
    const message = { action: 'message.send', ticketId: ticket.id, body: 'Oi?', clientMessageId: ulid() };
    isolated.dynamo.inject({ fault: 'unavailable', match: isTransaction });

    const refused = await sender.request(message);

    expect(refused).toMatchObject({ type: 'error', error: { code: 'unavailable' } });
    isolated.dynamo.clearFaults();
    const ack = await sender.request(message);
    expect(ack.type, JSON.stringify(ack)).toBe('message.ack');
    expect((await sender.request(message)).event).toEqual(ack.event);
    const messages = (await http('GET', `/tickets/${ticket.id}/events`)).body.items.filter(
      (e: Json) => e.type === 'message',
    );
    expect(messages).toEqual([ack.event]);
    // The watcher gets the message once: nothing was pushed for the attempt that failed, nor for the resend.
    // Pushes go out before the sender's ack, and the watcher's pong comes after what was pushed to it.
    expect((await watcher.request({ action: 'ping' })).type).toBe('pong');
    expect(watcher.pushes.filter((f) => f.type === 'event').map((f) => f.event)).toEqual([ack.event]);
  });
});

describe('request units measured for the cost model (npm run cost)', () => {
  afterEach(() => isolated.dynamo.measureCapacity(false));

  it('come from DynamoDB Local for every round trip a request makes, and the request is answered as usual', async () => {
    isolated.dynamo.measureCapacity(true);
    const mark = isolated.dynamo.mark();
    const created = await http('POST', '/tickets', newTicket());
    expect(created.status).toBe(201);
    const listed = await http('GET', '/tickets');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: Json) => t.id)).toContain(created.body.ticket.id);

    const operations = reached(mark);
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(operation.capacity, operation.name).toBeDefined();
    // A ticket, its first event, its words and counter in one transaction: each item twice (transactional), and again
    // for every index it is in.
    const transaction = operations.find(isTransaction);
    const items = JSON.parse(transaction?.body ?? '{}').TransactItems.length;
    expect(transaction?.capacity?.write).toBeGreaterThan(2 * items);
    // The list's Queries read at least DynamoDB's minimum each.
    for (const query of operations.filter((o) => o.name === 'Query'))
      expect(query.capacity?.read).toBeGreaterThanOrEqual(0.5);
  });
});
