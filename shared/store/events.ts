// Timelines: a ticket's events, in its own partition.
//
// Access patterns (pattern → key/index → operation):
//   a ticket's events, oldest first   pk=TICKET#<ticketId>  sk=EVENT#<eventId>   Query asc, sk BETWEEN EVENT#<next id> AND EVENT#~
//   one event                         pk=TICKET#<ticketId>  sk=EVENT#<eventId>   GetItem (a deduplicated message)
//   what a person did, oldest first   gsi1pk=EVENTS#ACTOR#<userId>  gsi1sk=<eventId>   Query gsi1, paged (a
//                                     person's data: export and erasure, shared/privacy/)
//   access granted to an address      gsi2pk=EVENTS#GRANTED#<email>  gsi2sk=<eventId>  Query gsi2 (the same)
//
// Event ids are ULIDs that grow in commit order (domain/events.ts), so "after this id" is a key range.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { incrementBase32 } from 'ulid';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { TicketEvent } from '../domain/events.js';
import type { Item, TransactItem } from './dynamo.js';

export const eventKeys = {
  event: (ticketId: string, eventId: string) => ({ pk: `TICKET#${ticketId}`, sk: `EVENT#${eventId}` }),
  timeline: (ticketId: string) => ({ pk: `TICKET#${ticketId}`, skFrom: 'EVENT#', skTo: 'EVENT#~' }),
  byActor: (userId: string) => ({ index: 'gsi1', pk: `EVENTS#ACTOR#${userId}` }),
  grantedTo: (email: string) => ({ index: 'gsi2', pk: `EVENTS#GRANTED#${email}` }),
} as const;

/** The index attributes an event carries: its actor's, and for a grant of access, the invited address's. */
export function eventIndexOf(event: TicketEvent): Item {
  const byActor = eventKeys.byActor(event.actor.id);
  return {
    gsi1pk: byActor.pk,
    gsi1sk: event.id,
    ...(event.type === 'access_granted' ? { gsi2pk: eventKeys.grantedTo(event.data.email).pk, gsi2sk: event.id } : {}),
  };
}

/** An event as read from the table or an index, without its storage attributes (keys, erasure mark). */
export function toEvent(item: Item): TicketEvent {
  const { pk: _pk, sk: _sk, type: _type, eventType, erasedAt: _erased, ...stored } = item;
  const rest = Object.fromEntries(Object.entries(stored).filter(([key]) => !/^gsi\d(pk|sk)$/.test(key)));
  return { ...rest, type: eventType } as unknown as TicketEvent;
}

/** Appends `event`; an event is never overwritten. */
export function putEventItem(event: TicketEvent): TransactItem {
  const { type, ...rest } = event;
  return {
    Put: {
      TableName: config.tableName,
      // `type` names the item kind in this table, so the event's own type is kept as `eventType`.
      Item: {
        ...eventKeys.event(event.ticketId, event.id),
        type: 'event',
        eventType: type,
        ...rest,
        ...eventIndexOf(event),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getEvent(ticketId: string, eventId: string): Promise<TicketEvent | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: eventKeys.event(ticketId, eventId), ConsistentRead: true }),
  );
  return Item ? toEvent(Item) : undefined;
}

/** Up to `limit` events after `afterId` (exclusive), oldest first; `more` when the timeline goes on. */
export async function queryEvents(
  ticketId: string,
  afterId: string | undefined,
  limit: number,
): Promise<{ items: TicketEvent[]; more: boolean }> {
  const { pk, skFrom, skTo } = eventKeys.timeline(ticketId);
  const from = afterId === undefined ? skFrom : `${skFrom}${successor(afterId)}`;
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': skTo },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return { items: (page.Items ?? []).map(toEvent), more: page.LastEvaluatedKey !== undefined };
}

/** The smallest id above `id`: the inclusive start of "after id". */
function successor(id: string): string {
  try {
    return incrementBase32(id);
  } catch {
    // Nothing sorts above the largest possible id; a start above every event makes an empty page.
    return '~';
  }
}
