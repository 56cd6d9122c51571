import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal, Role } from '../../../../shared/domain/roles.js';
import { mailDelivery, messagePosted, ticketCreated } from '../../../../shared/observability/metrics.js';
import { printedLines, printedLinesOf } from './printed.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const person = (role: Role): Principal => ({ userId: `U-${role}`, role, groupIds: [], name: 'Ana', email: 'a@x.com' });
const ticket = { id: 'T1', channel: 'chat' as const, createdAt: '2025-03-01T09:00:00.000Z' };
const answer = { createdAt: '2025-03-01T09:02:30.000Z' };

type Emf = Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: object[] }[] };
};
const emf = (lines: string[]): Emf[] => lines.map((line) => JSON.parse(line)).filter((line) => '_aws' in line);
/** `Name=value` of every metric printed, in order. */
const published = (lines: string[]) =>
  emf(lines).flatMap((blob) =>
    blob._aws.CloudWatchMetrics.flatMap((set) =>
      set.Metrics.map((metric) => `${(metric as { Name: string }).Name}=${blob[(metric as { Name: string }).Name]}`),
    ),
  );

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Atende/test');
  vi.stubEnv('TABLE_NAME', 'atende');
  dynamo.reset();
  dynamo.on(PutCommand).resolves({});
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('business metrics, as CloudWatch embedded metric format lines', () => {
  it('counts a ticket opened on the portal and one opened by a chat, by channel', () => {
    const lines = printedLines(() => {
      ticketCreated('portal');
      ticketCreated('chat');
    });
    const [portal, chat] = emf(lines);
    expect(portal).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Atende/test',
            Dimensions: [['service', 'channel']],
            Metrics: [{ Name: 'TicketCreated', Unit: 'Count' }],
          },
        ],
      },
      service: 'atende',
      channel: 'portal',
      TicketCreated: 1,
    });
    expect(chat).toMatchObject({ channel: 'chat', TicketCreated: 1 });
    // Published at once: nothing waits for a flush that a failing request would never reach.
    expect(lines).toHaveLength(2);
  });

  it('counts a customer’s message and records nothing about first responses', async () => {
    const lines = await printedLinesOf(() => messagePosted(person('customer'), ticket, answer));
    expect(published(lines)).toEqual(['MessagePosted=1']);
    expect(emf(lines)[0]).toMatchObject({ channel: 'chat' });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it.each(['agent', 'admin'] as const)(
    'publishes how long the requester waited for the first answer by an %s',
    async (role) => {
      const lines = await printedLinesOf(() => messagePosted(person(role), ticket, answer));
      expect(published(lines)).toEqual(['MessagePosted=1', 'FirstResponseMs=150000']);
      const firstResponse = emf(lines)[1];
      expect(firstResponse?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
        { Name: 'FirstResponseMs', Unit: 'Milliseconds' },
      ]);
      const [put] = dynamo.commandCalls(PutCommand);
      expect(put?.args[0].input).toMatchObject({
        Item: { pk: 'TICKET#T1', sk: 'FIRST_RESPONSE', userId: `U-${role}`, at: answer.createdAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },
  );

  it('publishes no first response for a later answer: the ticket’s first one is already recorded', async () => {
    dynamo
      .on(PutCommand)
      .rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    const lines = await printedLinesOf(() => messagePosted(person('agent'), ticket, answer));
    expect(published(lines)).toEqual(['MessagePosted=1']);
  });

  it('never fails the message when the first response cannot be recorded', async () => {
    dynamo.on(PutCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const lines = await printedLinesOf(() => messagePosted(person('agent'), ticket, answer), ['stdout', 'stderr']);
    expect(published(lines)).toEqual(['MessagePosted=1']);
    expect(lines.map((line) => JSON.parse(line).message)).toContain('first response not recorded');
  });

  it('counts invitations sent and failed, and password resets apart from them', () => {
    const lines = printedLines(() => {
      mailDelivery('invite', 'sent');
      mailDelivery('invite', 'failed');
      mailDelivery('password_reset', 'sent');
    });
    expect(published(lines)).toEqual(['InvitationSent=1', 'InvitationFailed=1', 'PasswordResetSent=1']);
    expect(emf(lines)[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
  });
});
