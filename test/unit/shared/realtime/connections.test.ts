import { DeleteCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal, Role } from '../../../../shared/domain/roles.js';
import { checkOrigin, closeConnection, openConnection } from '../../../../shared/realtime/connections.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const connectedAt = Date.parse('2025-01-01T12:00:00Z');
const person = (role: Role): Principal => ({ userId: 'U1', role, groupIds: [], name: 'Ana', email: 'a@example.com' });

beforeAll(() => {
  process.env.TABLE_NAME ??= 'atende';
});
beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
});

const putItems = () =>
  dynamo
    .commandCalls(TransactWriteCommand)
    .flatMap((c) => c.args[0].input.TransactItems ?? [])
    .map((item) => item.Put?.Item)
    .filter((item) => item?.type !== 'connection_slot');

describe('connections', () => {
  it('stores a connection with its principal and an expiry 2 hours after API Gateway accepted it', async () => {
    await openConnection({ connectionId: 'c1', connectedAt }, person('customer'));

    expect(putItems()).toEqual([
      expect.objectContaining({
        pk: 'CONN#c1',
        sk: 'META',
        principal: person('customer'),
        connectedAt: '2025-01-01T12:00:00.000Z',
        ttl: connectedAt / 1000 + 7200,
      }),
    ]);
  });

  it.each(['agent', 'admin'] as const)("subscribes an %s's connection to the queue", async (role) => {
    await openConnection({ connectionId: 'c1', connectedAt }, person(role));

    expect(putItems()).toContainEqual(
      expect.objectContaining({ pk: 'SUB#queue', sk: 'CONN#c1', gsi1pk: 'CONN#c1', ttl: connectedAt / 1000 + 7200 }),
    );
  });

  it.each(['customer', 'platform_user', 'auditor'] as const)('keeps a %s out of the queue', async (role) => {
    await openConnection({ connectionId: 'c1', connectedAt }, person(role));

    expect(putItems().map((i) => i?.pk)).toEqual(['CONN#c1']);
  });

  it('forgets a closed connection and every subscription it had, found through its index', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ channel: 'ticket#T1' }, { channel: 'queue' }] });

    await closeConnection('c1');

    const query = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({ IndexName: 'gsi1', ExpressionAttributeValues: { ':pk': 'CONN#c1' } });
    expect(dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: 'SUB#ticket#T1', sk: 'CONN#c1' },
      { pk: 'SUB#queue', sk: 'CONN#c1' },
      { pk: 'CONN#c1', sk: 'META' },
    ]);
  });

  it("frees the person's connection slot the closed connection held, if it still holds it", async () => {
    dynamo
      .on(DeleteCommand, { Key: { pk: 'CONN#c1', sk: 'META' } })
      .resolves({ Attributes: { principal: person('customer'), slot: 3 } });

    await closeConnection('c1');

    expect(
      dynamo
        .commandCalls(DeleteCommand)
        .map((c) => c.args[0].input)
        .at(-1),
    ).toMatchObject({
      Key: { pk: 'CONNSLOTS#U1', sk: 'SLOT#3' },
      ConditionExpression: 'connectionId = :id',
      ExpressionAttributeValues: { ':id': 'c1' },
    });
  });

  it('refuses an 11th connection of a person with 429 when all 10 slots are held by live connections', async () => {
    const live = connectedAt / 1000 + 7200;
    dynamo.on(QueryCommand).resolves({ Items: Array.from({ length: 10 }, (_, slot) => ({ slot, ttl: live })) });
    vi.useFakeTimers({ now: connectedAt });
    try {
      await expect(openConnection({ connectionId: 'c11', connectedAt }, person('customer'))).rejects.toMatchObject({
        status: 429,
        code: 'rate_limited',
      });
    } finally {
      vi.useRealTimers();
    }
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('browser origins', () => {
  beforeAll(() => {
    process.env.WEB_ORIGINS = 'https://portal.example.com, http://localhost:3000';
  });

  it('lets a page of the web app connect', () => {
    expect(() => checkOrigin('https://portal.example.com')).not.toThrow();
  });

  it('lets a client that sends no Origin connect on its ticket alone', () => {
    expect(() => checkOrigin(undefined)).not.toThrow();
  });

  it('refuses a page of any other origin with forbidden', () => {
    expect(() => checkOrigin('https://evil.example')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => checkOrigin('null')).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
