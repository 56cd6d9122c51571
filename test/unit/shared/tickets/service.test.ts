// Fault injection around the ticket service's transactions: lost races and throttled transactions are
// retried with fresh reads, a failing DynamoDB is a 503 with nothing pushed, and no write is ever half done.
import { DynamoDBServiceException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../../shared/domain/roles.js';
import { toAppError } from '../../../../shared/errors.js';
import { logger } from '../../../../shared/observability/logger.js';
import type { Push } from '../../../../shared/realtime/fanout.js';
import { updateTicket } from '../../../../shared/tickets/changes.js';
import { createTicket } from '../../../../shared/tickets/create.js';
import { grantAccess } from '../../../../shared/tickets/grant-access.js';
import { postMessage } from '../../../../shared/tickets/messages.js';
import { listQueue } from '../../../../shared/tickets/reads.js';
import { ticketRecord } from './ticket-record.js';

const published = vi.hoisted(() => [] as string[]);
vi.mock('../../../../shared/realtime/fanout.js', async (importActual) => ({
  ...(await importActual<typeof import('../../../../shared/realtime/fanout.js')>()),
  publishToTicket: async (_ticketId: string, pushes: Push[]) => {
    for (const { frame, except } of pushes) {
      if (frame.type === 'event') published.push(`event:${frame.event.type}${except ? ` (not to ${except})` : ''}`);
      if (frame.type === 'ticket.updated') published.push(`ticket:v${frame.ticket.version}`);
    }
  },
  publishQueue: async () => {
    published.push('queue');
  },
}));

// Granting access writes through the invitation module: here, only its transaction (with the ticket's
// writes alongside), so that the ticket service's handling of a refused transaction is what is tested.
vi.mock('../../../../shared/auth/invitations.js', async () => {
  const { transact } = await vi.importActual<typeof import('../../../../shared/store/dynamo.js')>(
    '../../../../shared/store/dynamo.js',
  );
  return {
    createInvite: async (
      _principal: unknown,
      groupId: string,
      input: { email: string },
      options: { alongside: (invite: { id: string }) => never[] },
    ) => {
      const invite = { id: '01J000000000000000000INVTE', groupId, email: input.email };
      await transact(options.alongside(invite));
      return invite;
    },
  };
});

const dynamo = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  process.env.TABLE_NAME ??= 'atende';
  process.env.BUCKET_NAME ??= 'atende-evidence';
});
beforeEach(() => {
  dynamo.reset();
  // No SLA policy stored: the default one applies.
  dynamo.on(GetCommand, { Key: { pk: 'SETTINGS', sk: 'SLA_POLICY' } }).resolves({});
  published.length = 0;
  vi.restoreAllMocks();
});

const ana: Principal = { userId: 'U1', role: 'customer', groupIds: ['G1'], name: 'Ana', email: 'ana@example.com' };
const input = { groupId: 'G1', topic: 'billing' as const, subject: 'Boleto', description: 'Não chegou' };

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const counterAt = (value: number) => ({ Item: { pk: 'COUNTER', sk: 'TICKET_NUMBER', value } });

describe('opening a ticket', () => {
  it('takes the next number again when another ticket took it first, and pushes only what committed', async () => {
    dynamo
      .on(GetCommand, { Key: { pk: 'COUNTER', sk: 'TICKET_NUMBER' } })
      .resolvesOnce(counterAt(41))
      .resolvesOnce(counterAt(42));
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None', 'None', 'None']))
      .resolves({});
    const { ticket } = await createTicket(ana, input);
    expect(ticket.number).toBe(43);
    const writes = dynamo.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(2);
    const counterUpdate = writes[1]?.args[0].input.TransactItems?.[1]?.Update;
    expect(counterUpdate?.ExpressionAttributeValues).toMatchObject({ ':read': 42, ':next': 43 });
    expect(published).toEqual(['event:created', 'ticket:v1']);
  });

  it('answers 503 when DynamoDB keeps failing, and pushes nothing', async () => {
    dynamo.on(GetCommand).resolves(counterAt(1));
    const throttled = new DynamoDBServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'slow down',
    });
    dynamo.on(TransactWriteCommand).rejects(throttled);
    const error = await createTicket(ana, input).catch((e: unknown) => e);
    expect(toAppError(error)).toMatchObject({ status: 503, code: 'unavailable' });
    expect(published).toEqual([]);
  });
});

describe('a ticket of many words', () => {
  const many = { ...input, subject: 'Relatório', description: Array.from({ length: 99 }, (_, i) => `w${i}`).join(' ') };
  const wordsPut = (items: Array<{ Put?: { Item?: Record<string, unknown> } }>) =>
    items.flatMap((w) => (w.Put?.Item?.type === 'ticket_word' ? [String(w.Put.Item.sk)] : []));

  it('indexes the words the transaction has no room for right after it, sending again what was left unprocessed', async () => {
    dynamo.on(GetCommand).resolves(counterAt(1));
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo
      .on(BatchWriteCommand)
      .callsFakeOnce((request) => {
        const [table, writes] = Object.entries(request.RequestItems)[0] as [string, unknown[]];
        return { UnprocessedItems: { [table]: writes.slice(20) } };
      })
      .resolves({});
    const warn = vi.spyOn(logger, 'warn');

    await createTicket(ana, many);

    const transaction = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const inTransaction = wordsPut(transaction);
    expect(inTransaction).toHaveLength(60);
    const batches = dynamo
      .commandCalls(BatchWriteCommand)
      .map((c) => Object.values(c.args[0].input.RequestItems ?? {})[0] ?? []);
    expect(batches.map((b) => b.length)).toEqual([25, 5, 15]);
    const afterwards = new Set(batches.flatMap((b) => wordsPut(b.map((w) => ({ Put: w.PutRequest })))));
    expect([...inTransaction, ...afterwards].sort()).toEqual(
      ['relatorio', ...Array.from({ length: 99 }, (_, i) => `w${i}`)].map((w) => `WORD#${w}`).sort(),
    );
    // The ticket knows them all, so a search for several words checks each against it.
    expect(transaction[0]?.Put?.Item?.words).toHaveLength(100);
    expect(warn).not.toHaveBeenCalledWith('search words beyond the transaction not indexed', expect.anything());
  });

  it('still opens the ticket when those words cannot be written, and says so', async () => {
    dynamo.on(GetCommand).resolves(counterAt(1));
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(BatchWriteCommand).rejects(
      new DynamoDBServiceException({
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'slow down',
      }),
    );
    const warn = vi.spyOn(logger, 'warn');

    const { ticket } = await createTicket(ana, many);

    expect(ticket.number).toBe(2);
    expect(warn).toHaveBeenCalledWith(
      'search words beyond the transaction not indexed',
      expect.objectContaining({ ticketId: ticket.id, words: 40 }),
    );
    expect(published).toEqual(['event:created', 'ticket:v1']);
  });
});

const record = ticketRecord({
  id: '01J00000000000000000000000',
  groupId: 'G1',
  version: 4,
  lastEventId: '01J00000000000000000000001',
});

const aheadOfTheClock = '1ZZZZZZZZZZZZZZZZZZZZZZZZZ';

const ticketKey = { Key: { pk: `TICKET#${record.id}`, sk: 'TICKET' } };

describe('a throttled transaction', () => {
  // DynamoDB reports throttling inside a transaction as a cancellation reason of the item it throttled.
  it('opens the ticket on a later try, like a lost race', async () => {
    dynamo.on(GetCommand).resolves(counterAt(7));
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ThrottlingError', 'None', 'None']))
      .rejectsOnce(cancelled(['ProvisionedThroughputExceeded', 'None', 'None', 'None', 'None']))
      .resolves({});
    const { ticket } = await createTicket(ana, input);
    expect(ticket.number).toBe(8);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(published).toEqual(['event:created', 'ticket:v1']);
  });

  it('answers 503 when the throttling does not pass, and pushes nothing', async () => {
    dynamo.on(GetCommand).resolves(counterAt(7));
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'ThrottlingError', 'None', 'None']));
    const error = await createTicket(ana, input).catch((e: unknown) => e);
    expect(toAppError(error)).toMatchObject({ status: 503, code: 'unavailable' });
    expect(published).toEqual([]);
  });

  it('is a 503, never a 500, when cancelled for a reason nothing retries', async () => {
    dynamo.on(GetCommand).resolves(counterAt(7));
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'ItemCollectionSizeLimitExceeded']));
    const error = await createTicket(ana, input).catch((e: unknown) => e);
    expect(toAppError(error)).toMatchObject({ status: 503, code: 'unavailable' });
  });
});

describe('posting a message', () => {
  it('re-reads the ticket and tries again when a message sorting after it won the race', async () => {
    dynamo
      .on(GetCommand, ticketKey)
      .resolvesOnce({ Item: record })
      // Meanwhile someone wrote an event stamped by a clock far ahead: the new one must still sort after it.
      .resolves({ Item: { ...record, version: 5, lastEventId: aheadOfTheClock } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']))
      .resolves({});
    const { event } = await postMessage(ana, record.id, { body: 'oi' });
    const writes = dynamo.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(2);
    // A message needs no version, only a timeline that still ends below its event (so ids grow in commit order).
    const ticketUpdate = writes[1]?.args[0].input.TransactItems?.[0]?.Update;
    expect(ticketUpdate?.ConditionExpression).toContain('lastEventId < :last');
    expect(ticketUpdate?.ExpressionAttributeValues).toMatchObject({ ':last': event.id, ':message': event.createdAt });
    expect(event.id > aheadOfTheClock).toBe(true);
  });

  it('keeps the message through a long burst of lost races', async () => {
    dynamo.on(GetCommand, ticketKey).resolves({ Item: record });
    let write = dynamo.on(TransactWriteCommand);
    for (let i = 0; i < 12; i++) write = write.rejectsOnce(cancelled(['TransactionConflict', 'None']));
    write.resolves({});
    const { event } = await postMessage(ana, record.id, { body: 'no meio da correria' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(13);
    expect(event.data).toMatchObject({ body: 'no meio da correria' });
    expect(published[0]).toBe('event:message');
  });

  it("opens a new ticket with an agent's reply, in the same transaction, checking the version it read", async () => {
    const caio: Principal = { userId: 'A1', role: 'agent', groupIds: [], name: 'Caio', email: 'caio@example.com' };
    // A ticket whose figures are kept (opened since the reports exist, or counted by their rebuild).
    dynamo.on(GetCommand, ticketKey).resolves({ Item: { ...record, status: 'new', reported: true } });
    dynamo.on(TransactWriteCommand).resolves({});
    await postMessage(caio, record.id, { body: 'Estamos vendo.' }, { connectionId: 'C1' });
    const [ticketWrite, ...rest] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(ticketWrite?.Put?.ExpressionAttributeValues).toEqual({ ':read': 4 });
    expect(ticketWrite?.Put?.Item).toMatchObject({ status: 'open', version: 5 });
    const eventWrites = rest.filter((w) => w.Put?.Item?.type === 'event');
    // The first answer is counted for the reports in the same transaction.
    expect(rest.filter((w) => String(w.Update?.Key?.pk).startsWith('REPORT#'))).toHaveLength(1);
    expect(eventWrites.map((w) => [w.Put?.Item?.eventType, w.Put?.Item?.data])).toEqual([
      ['message', { body: 'Estamos vendo.', attachments: [] }],
      ['status_changed', { from: 'new', to: 'open' }],
    ]);
    // The requester's notification batch is opened in the same transaction, before anything is pushed.
    expect(rest.filter((w) => String(w.Update?.Key?.sk).startsWith('NOTIFY#')).map((w) => w.Update?.Key)).toEqual([
      { pk: `TICKET#${record.id}`, sk: `NOTIFY#${record.requesterId}` },
    ]);
    // The sender's connection gets the message as its ack, and the status change pushed like everyone.
    expect(published).toEqual(['event:message (not to C1)', 'event:status_changed', 'ticket:v5']);
  });

  it("appends a customer's reply only while the ticket is not waiting for them (else it moves the status)", async () => {
    dynamo.on(GetCommand, ticketKey).resolves({ Item: record });
    dynamo.on(TransactWriteCommand).resolves({});
    await postMessage(ana, record.id, { body: 'Alguma novidade?' });
    const update = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update?.ConditionExpression).toBe('lastEventId < :last AND NOT #status IN (:unwanted0)');
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':unwanted0': 'pending_customer' });
  });

  it('keeps the message, and a change, through throttled transactions', async () => {
    const caio: Principal = { userId: 'A1', role: 'agent', groupIds: [], name: 'Caio', email: 'caio@example.com' };
    dynamo.on(GetCommand, ticketKey).resolves({ Item: record });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ThrottlingError', 'None']))
      .rejectsOnce(cancelled(['None', 'ProvisionedThroughputExceeded']))
      .resolves({});
    const { event } = await postMessage(ana, record.id, { body: 'ainda aqui' });
    expect(event.data).toMatchObject({ body: 'ainda aqui' });
    const ticket = await updateTicket(caio, record.id, { priority: 'high' });
    expect(ticket.priority).toBe('high');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('answers 503 when a change stays throttled', async () => {
    dynamo.on(GetCommand, ticketKey).resolves({ Item: record });
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ThrottlingError', 'None']));
    const error = await postMessage(ana, record.id, { body: 'oi' }).catch((e: unknown) => e);
    expect(toAppError(error)).toMatchObject({ status: 503, code: 'unavailable' });
    expect(published).toEqual([]);
  });

  it('pushes the ticket as stored, with the messages others added meanwhile', async () => {
    dynamo
      .on(GetCommand, ticketKey)
      .resolvesOnce({ Item: record })
      .resolves({ Item: { ...record, version: 7 } });
    dynamo.on(TransactWriteCommand).resolves({});
    await postMessage(ana, record.id, { body: 'oi' });
    expect(published).toEqual(['event:message', 'ticket:v7']);
  });
});

describe('granting access', () => {
  it('grants access on a later try when the invitation transaction was throttled', async () => {
    const caio: Principal = { userId: 'A1', role: 'agent', groupIds: [], name: 'Caio', email: 'caio@example.com' };
    dynamo.on(GetCommand, ticketKey).resolves({ Item: { ...record, topic: 'portal_access' } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ThrottlingError', 'None']))
      .resolves({});
    const invite = await grantAccess(caio, record.id, 'G2');
    expect(invite).toMatchObject({ groupId: 'G2', email: 'ana@example.com' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(published).toEqual(['event:access_granted', 'ticket:v5']);
  });
});

describe('the queue', () => {
  it('leaves out a chat just taken, even where a read could still see it waiting', async () => {
    const caio: Principal = { userId: 'A1', role: 'agent', groupIds: [], name: 'Caio', email: 'caio@example.com' };
    const chat = { ...record, channel: 'chat', status: 'new' };
    // The queue index still lists the chat, and so would a replica the take has not reached yet.
    dynamo.on(QueryCommand).resolves({ Items: [{ gsi2pk: 'TICKETS#QUEUE', gsi2sk: chat.id }] });
    dynamo.on(BatchGetCommand).callsFake((input) => {
      const [table, { ConsistentRead }] = Object.entries(input.RequestItems)[0] as [
        string,
        { ConsistentRead?: boolean },
      ];
      const item = ConsistentRead ? { ...chat, assigneeId: 'A1', status: 'open', version: 5 } : chat;
      return { Responses: { [table]: [{ pk: `TICKET#${chat.id}`, sk: 'TICKET', ...item }] } };
    });
    expect(await listQueue(caio)).toEqual([]);
  });
});
