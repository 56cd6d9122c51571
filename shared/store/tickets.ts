// Tickets and the small items that list, queue and search them. Timelines: store/events.ts; reading lists
// and searches: store/search.ts; ticket numbers: store/counters.ts.
//
// Access patterns (pattern → key/index → operation):
//   ticket by id                     pk=TICKET#<id>  sk=TICKET                             GetItem (consistent) / BatchGet
//                                    (consistent when re-checking the queue index)
//   change a ticket                  pk=TICKET#<id>  sk=TICKET                             Put in a transaction, if the
//                                    version is the one read; a message or files only: Update, if the last event
//                                    id is below the new one (appendTicketItem)
//   a message by its client id       pk=TICKET#<id>  sk=CLIENT_MESSAGE#<userId>#<clientId>  GetItem → eventId (dedupe)
//   all tickets, newest first        gsi1pk=TICKETS#MONTH#<yyyy-mm>      gsi1sk=<ticketId>  Query gsi1 desc, month by month
//   a group's tickets, newest first  gsi2pk=TICKETS#GROUP#<groupId>      gsi2sk=<ticketId>  Query gsi2 desc
//   someone's own tickets            gsi3pk=TICKETS#REQUESTER#<userId>   gsi3sk=<ticketId>  Query gsi3 desc
//   an assignee's tickets            gsi1pk=TICKETS#ASSIGNEE#<userId>    gsi1sk=<ticketId>  Query gsi1 desc on the
//                                    assignment item (pk=TICKET#<id> sk=ASSIGNEE) → BatchGet the tickets
//   the chat queue, oldest first     gsi2pk=TICKETS#QUEUE                gsi2sk=<ticketId>  Query gsi2 asc on the
//                                    queue item (pk=TICKET#<id> sk=QUEUE) → BatchGet the tickets
//   tickets with a word              word item pk=TICKET#<id> sk=WORD#<word>, in three scopes at once:
//                                      staff     gsi1pk=WORDS#<word>                       gsi1sk=<ticketId>
//                                      a group   gsi2pk=WORDS#GROUP#<groupId>#<word>       gsi2sk=<ticketId>
//                                      own       gsi3pk=WORDS#REQUESTER#<userId>#<word>    gsi3sk=<ticketId>
//                                    Query desc on the query's longest word → BatchGet; other words checked per ticket.
//                                    Written with the ticket (Put in its transaction), those beyond the room the
//                                    transaction has right after it (BatchWriteItem)
//   SLA due times                    the due item pk=TICKET#<id> sk=SLA_DUE (store/sla.ts)
//   closed tickets, by closing time  gsi3pk=TICKETS#CLOSED  gsi3sk=<closedAt>#<ticketId>  Query gsi3 asc, gsi3sk < a time,
//                                    on the closed item (pk=TICKET#<id> sk=CLOSED), there while the ticket is
//                                    closed: what the retention job anonymizes (shared/privacy/retention.ts)
//   status / topic filters           no index: checked on each ticket a keyed Query above returns, with a bounded
//                                    number of items read per request (store/search.ts)
//
// Every index sorts by ticket id, a ULID, so "newest first" is a descending Query and one position (an id)
// continues any of them. The ticket item's own three index slots hold what never changes (month, group,
// requester); what changes (assignee, queue membership) lives on its own small item, written or deleted in
// the same transaction as the ticket. The all-tickets index is split by month so that no single partition
// takes every write; a month's partition still takes far fewer writes per second than one partition can.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Attachment } from '../domain/attachments.js';
import { isQueued, type Status, type TicketRecord } from '../domain/tickets.js';
import { batchGet, batchPut, type Item, type TransactItem } from './dynamo.js';
import { slaDueItems } from './sla.js';

const ticketPk = (ticketId: string) => `TICKET#${ticketId}`;

export const ticketKeys = {
  ticket: (ticketId: string) => ({ pk: ticketPk(ticketId), sk: 'TICKET' }),
  clientMessage: (ticketId: string, userId: string, clientMessageId: string) => ({
    pk: ticketPk(ticketId),
    sk: `CLIENT_MESSAGE#${userId}#${clientMessageId}`,
  }),
  assignment: (ticketId: string) => ({ pk: ticketPk(ticketId), sk: 'ASSIGNEE' }),
  queueEntry: (ticketId: string) => ({ pk: ticketPk(ticketId), sk: 'QUEUE' }),
  word: (ticketId: string, word: string) => ({ pk: ticketPk(ticketId), sk: `WORD#${word}` }),
  closedEntry: (ticketId: string) => ({ pk: ticketPk(ticketId), sk: 'CLOSED' }),
};

/** Closed tickets, oldest closing first (sorted by closing time, not by ticket id). */
export const closedIndex = {
  index: 'gsi3',
  pk: 'TICKETS#CLOSED',
  sk: (closedAt: string, ticketId: string) => `${closedAt}#${ticketId}`,
} as const;

/** Index partitions, each sorted by ticket id. */
export const ticketIndexes = {
  month: (month: string) => ({ index: 'gsi1', pk: `TICKETS#MONTH#${month}` }),
  group: (groupId: string) => ({ index: 'gsi2', pk: `TICKETS#GROUP#${groupId}` }),
  requester: (userId: string) => ({ index: 'gsi3', pk: `TICKETS#REQUESTER#${userId}` }),
  assignee: (userId: string) => ({ index: 'gsi1', pk: `TICKETS#ASSIGNEE#${userId}` }),
  queue: () => ({ index: 'gsi2', pk: 'TICKETS#QUEUE' }),
  wordAll: (word: string) => ({ index: 'gsi1', pk: `WORDS#${word}` }),
  wordGroup: (groupId: string, word: string) => ({ index: 'gsi2', pk: `WORDS#GROUP#${groupId}#${word}` }),
  wordRequester: (userId: string, word: string) => ({ index: 'gsi3', pk: `WORDS#REQUESTER#${userId}#${word}` }),
} as const satisfies Record<string, (...args: string[]) => IndexPartition>;

export interface IndexPartition {
  index: 'gsi1' | 'gsi2' | 'gsi3';
  pk: string;
}

/** The month (UTC `yyyy-mm`) of an ISO timestamp: a ticket's all-tickets partition. */
export const monthOf = (iso: string): string => iso.slice(0, 7);

/** The month after `month` (`yyyy-mm`): walks of every ticket go month by month. */
export const nextMonth = (month: string): string => {
  const date = new Date(`${month}-01T00:00:00.000Z`);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString().slice(0, 7);
};

/** The index attributes of an item that appears in `partition`, sorted by `ticketId`. */
const indexed = ({ index, pk }: IndexPartition, ticketId: string) => ({
  [`${index}pk`]: pk,
  [`${index}sk`]: ticketId,
});

function ticketItem(record: TicketRecord): Item {
  return {
    ...ticketKeys.ticket(record.id),
    type: 'ticket',
    ...record,
    ...indexed(ticketIndexes.month(monthOf(record.createdAt)), record.id),
    ...(record.groupId ? indexed(ticketIndexes.group(record.groupId), record.id) : {}),
    ...indexed(ticketIndexes.requester(record.requesterId), record.id),
  };
}

const storageFields = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk']);

/** A ticket item as read from the table or an index, without its storage attributes. */
export function ticketRecordOf(item: Item): TicketRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !storageFields.has(k))) as unknown as TicketRecord;
}

/**
 * A page of the tickets opened in `month` (UTC `yyyy-mm`), oldest first, after the ticket `after` (exclusive):
 * what a walk over every ticket reads (tickets/ungrouped-backfill.ts). `more`: the month has tickets after them.
 */
export async function ticketsOfMonth(
  month: string,
  after: string | undefined,
  limit: number,
): Promise<{ tickets: TicketRecord[]; more: boolean }> {
  const { index, pk } = ticketIndexes.month(month);
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: index,
      KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
      ExpressionAttributeNames: { '#pk': `${index}pk`, ...(after === undefined ? {} : { '#sk': `${index}sk` }) },
      ExpressionAttributeValues: { ':pk': pk, ...(after === undefined ? {} : { ':after': after }) },
      Limit: limit,
    }),
  );
  return { tickets: (page.Items ?? []).map(ticketRecordOf), more: page.LastEvaluatedKey !== undefined };
}

export async function getTicketRecord(ticketId: string): Promise<TicketRecord | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: ticketKeys.ticket(ticketId), ConsistentRead: true }),
  );
  return Item ? ticketRecordOf(Item) : undefined;
}

/**
 * Tickets by id, in the order asked, missing ones left out. `consistent` when the caller re-checks what an
 * index (which lags the table) said about them.
 */
export async function getTicketRecords(
  ticketIds: readonly string[],
  options: { consistent?: boolean } = {},
): Promise<TicketRecord[]> {
  return (await batchGet(ticketIds.map(ticketKeys.ticket), options.consistent)).map(ticketRecordOf);
}

/**
 * Writes the ticket as `record`: a new ticket when `readVersion` is undefined, otherwise only if it is still
 * at the version it was read at (optimistic concurrency; every change to a ticket's fields goes through here).
 */
export function putTicketItem(record: TicketRecord, readVersion?: number): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: ticketItem(record),
      ...(readVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': readVersion },
          }),
    },
  };
}

/** What a message or an attachment adds to its ticket, besides the events. */
export interface TicketAppend {
  lastMessageAt?: string;
  attachments: readonly Attachment[];
  /** Statuses the append was planned not to find (where it would have changed the status too). */
  statusNotIn?: readonly Status[];
}

/**
 * Adds to the ticket without rewriting it: its new last event, `lastMessageAt`, files, and the next version.
 * The condition is what timelines need: event ids grow in commit order (so `after=<id>` never skips), i.e.
 * the ticket's last event id is still below `lastEventId` — and that the status is none of `statusNotIn`.
 * Appends racing each other therefore do not refuse one another as a version check would, unless one with
 * a higher id committed first; a change to the ticket's fields (putTicketItem) still sees the version move
 * and reads again.
 */
export function appendTicketItem(
  ticketId: string,
  append: TicketAppend & { lastEventId: string; updatedAt: string },
): TransactItem {
  const sets = ['lastEventId = :last', 'updatedAt = :updated', 'version = version + :one'];
  const conditions = ['lastEventId < :last'];
  const values: Record<string, unknown> = { ':last': append.lastEventId, ':updated': append.updatedAt, ':one': 1 };
  const unwanted = append.statusNotIn ?? [];
  if (unwanted.length > 0) {
    conditions.push(`NOT #status IN (${unwanted.map((_, i) => `:unwanted${i}`).join(', ')})`);
    unwanted.forEach((status, i) => {
      values[`:unwanted${i}`] = status;
    });
  }
  if (append.lastMessageAt !== undefined) {
    sets.push('lastMessageAt = :message');
    values[':message'] = append.lastMessageAt;
  }
  if (append.attachments.length > 0) {
    sets.push('attachments = list_append(attachments, :files)');
    values[':files'] = append.attachments;
  }
  return {
    Update: {
      TableName: config.tableName,
      Key: ticketKeys.ticket(ticketId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ...(unwanted.length > 0 ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: values,
    },
  };
}

/** A word item of a ticket (its words never change: subject and description are fixed). */
function wordItem(record: TicketRecord, word: string): Item {
  return {
    ...ticketKeys.word(record.id, word),
    type: 'ticket_word',
    ticketId: record.id,
    ...indexed(ticketIndexes.wordAll(word), record.id),
    ...(record.groupId ? indexed(ticketIndexes.wordGroup(record.groupId, word), record.id) : {}),
    ...indexed(ticketIndexes.wordRequester(record.requesterId, word), record.id),
  };
}

/** Word items of a new ticket, for its creation transaction: `words`, all of the ticket's unless told. */
export function wordItems(record: TicketRecord, words: readonly string[] = record.words): TransactItem[] {
  return words.map((word) => ({ Put: { TableName: config.tableName, Item: wordItem(record, word) } }));
}

/** Word items written after the creation transaction (more than it has room for); writing one twice is harmless. */
export async function putWordItems(record: TicketRecord, words: readonly string[]): Promise<void> {
  await batchPut(words.map((word) => wordItem(record, word)));
}

/** The item that lists a closed ticket by its closing time. */
export const closedEntryItem = (ticketId: string, closedAt: string): Item => ({
  ...ticketKeys.closedEntry(ticketId),
  type: 'ticket_closed_entry',
  ticketId,
  gsi3pk: closedIndex.pk,
  gsi3sk: closedIndex.sk(closedAt, ticketId),
});

/**
 * Keeps the assignment, queue, closed and SLA due items in step with a ticket going from `before` (or nothing) to
 * `after`.
 */
export function membershipItems(before: TicketRecord | undefined, after: TicketRecord): TransactItem[] {
  const items: TransactItem[] = slaDueItems(after.id, before?.sla, after.sla);
  if (before?.assigneeId !== after.assigneeId) {
    items.push(
      after.assigneeId
        ? {
            Put: {
              TableName: config.tableName,
              Item: {
                ...ticketKeys.assignment(after.id),
                type: 'ticket_assignment',
                ticketId: after.id,
                assigneeId: after.assigneeId,
                ...indexed(ticketIndexes.assignee(after.assigneeId), after.id),
              },
            },
          }
        : { Delete: { TableName: config.tableName, Key: ticketKeys.assignment(after.id) } },
    );
  }
  const wasClosed = before?.status === 'closed';
  if (wasClosed !== (after.status === 'closed')) {
    items.push(
      after.status === 'closed'
        ? {
            Put: { TableName: config.tableName, Item: closedEntryItem(after.id, after.updatedAt) },
          }
        : { Delete: { TableName: config.tableName, Key: ticketKeys.closedEntry(after.id) } },
    );
  }
  const wasQueued = before !== undefined && isQueued(before);
  if (wasQueued !== isQueued(after)) {
    items.push(
      isQueued(after)
        ? {
            Put: {
              TableName: config.tableName,
              Item: {
                ...ticketKeys.queueEntry(after.id),
                type: 'ticket_queue_entry',
                ticketId: after.id,
                ...indexed(ticketIndexes.queue(), after.id),
              },
            },
          }
        : { Delete: { TableName: config.tableName, Key: ticketKeys.queueEntry(after.id) } },
    );
  }
  return items;
}

/** How long a client message id keeps deduplicating resends. */
export const clientMessageSeconds = 7 * 24 * 60 * 60;

export async function findClientMessage(
  ticketId: string,
  userId: string,
  clientMessageId: string,
): Promise<string | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({
      TableName: config.tableName,
      Key: ticketKeys.clientMessage(ticketId, userId, clientMessageId),
      ConsistentRead: true,
    }),
  );
  return typeof Item?.eventId === 'string' ? Item.eventId : undefined;
}

/** Claims a client message id for `eventId`; fails the transaction if the id was already used. */
export function clientMessageItem(
  ticketId: string,
  userId: string,
  clientMessageId: string,
  eventId: string,
  ttl: number,
): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...ticketKeys.clientMessage(ticketId, userId, clientMessageId), type: 'client_message', eventId, ttl },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
