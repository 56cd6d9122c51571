// What one ticket change pushes, seen from API Gateway's side: every subscriber gets the change's events and
// then the ticket, in that order, and the ticket's subscribers are looked up once for the whole change.
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../../../shared/domain/events.js';
import type { TicketRecord } from '../../../../shared/domain/tickets.js';
import { publishChange } from '../../../../shared/tickets/publish.js';
import { mockFanout } from '../realtime/mock-fanout.js';
import { ticketRecord } from './ticket-record.js';

const { dynamo, gateway } = mockFanout();

const ticket = ticketRecord({ number: 7, status: 'new', channel: 'chat', version: 3 });

const event = (id: string, type: string) =>
  ({
    id,
    ticketId: ticket.id,
    type,
    actor: { id: 'A1', name: 'Caio', role: 'agent' },
    data: {},
  }) as never as TicketEvent;

describe('a ticket change', () => {
  it('looks up the subscribers once and pushes each its events, then the ticket, in order', async () => {
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `SUB#ticket#${ticket.id}` } })
      .resolves({ Items: [{ connectionId: 'sender' }, { connectionId: 'other' }] });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'SUB#queue' } }).resolves({ Items: [] });
    const message = event('01J0000000000000000000EVN2', 'message');
    const opened = event('01J0000000000000000000EVN3', 'status_changed');
    const after = { ...ticket, status: 'open', version: 4, lastEventId: opened.id } as TicketRecord;

    await publishChange(ticket, after, [message, opened], { connectionId: 'sender', replied: [message] });

    const lookups = dynamo
      .commandCalls(QueryCommand)
      .filter((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'] === `SUB#ticket#${ticket.id}`);
    expect(lookups).toHaveLength(1);
    const received = (connectionId: string) =>
      gateway
        .commandCalls(PostToConnectionCommand)
        .filter((c) => c.args[0].input.ConnectionId === connectionId)
        .map((c) => JSON.parse(Buffer.from(c.args[0].input.Data as Uint8Array).toString()))
        .map((frame) =>
          frame.type === 'event' ? `event ${frame.event.id}` : `${frame.type} v${frame.ticket.version}`,
        );
    expect(received('other')).toEqual([`event ${message.id}`, `event ${opened.id}`, 'ticket.updated v4']);
    // The sender has the message in its reply; the status change it caused is pushed to it like to everyone.
    expect(received('sender')).toEqual([`event ${opened.id}`, 'ticket.updated v4']);
  });
});
