// Reply notifications waiting for their batch window to end: one item per person and ticket, opened by the
// first change that person is told about and e-mailed (or dropped) by the scheduled job when it is due.
//
// Access patterns (pattern → key/index → operation):
//   a person's batch on a ticket   pk=TICKET#<ticketId>  sk=NOTIFY#<userId>         Update in the change's transaction;
//                                                                                  GetItem; Delete if unchanged
//   batches due                    gsi2pk=NOTIFY_DUE     gsi2sk=<dueAt>#<ticketId>#<userId>
//                                                                                  Query on gsi2, gsi2sk <= now
//   what a person saw live         the batch's `seen` set, added to by fan-out (Update if the batch exists)
//
// The batch holds no text: only where its events start on the timeline (`afterEventId`, exclusive) and the
// newest event it was told of (`lastEventId`), so it stays small however many messages arrive; the sender
// reads the events from the timeline. `seen` is bounded: at most `maxSeen` ids, the rest not recorded (the
// e-mail then repeats what was seen live, which is the safe side).
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { conditionFailed, epochSeconds, type Item, type TransactItem } from './dynamo.js';
import { ticketKeys } from './tickets.js';

export const notificationKeys = {
  batch: (ticketId: string, userId: string) => ({ pk: ticketKeys.ticket(ticketId).pk, sk: `NOTIFY#${userId}` }),
  due: () => ({ gsi2pk: 'NOTIFY_DUE' }),
  dueAt: (at: string, ticketId: string, userId: string) => `${at}#${ticketId}#${userId}`,
};

/** Event ids a batch remembers as seen live; a batch window holds far fewer events. */
export const maxSeen = 100;
/** A batch the job never reached (the job stopped for a week) goes away by itself. */
const batchLifetimeSeconds = 7 * 24 * 60 * 60;

export interface NotificationBatch {
  ticketId: string;
  userId: string;
  /** The timeline event just before the batch's first one (exclusive start). */
  afterEventId: string;
  /** The newest event the batch was told of: the batch is dropped only if none came since it was read. */
  lastEventId: string;
  dueAt: string;
  seen: Set<string>;
}

/**
 * The write, in a change's transaction, that tells `userId` of the change's events: it opens a batch due at
 * `dueAt` or adds to the one open (which keeps its start and due time).
 */
export function tellItem(
  ticketId: string,
  userId: string,
  change: { afterEventId: string; lastEventId: string; dueAt: Date },
): TransactItem {
  const dueAt = change.dueAt.toISOString();
  return {
    Update: {
      TableName: config.tableName,
      Key: notificationKeys.batch(ticketId, userId),
      UpdateExpression:
        'SET #type = :type, ticketId = :ticketId, userId = :userId, lastEventId = :last, ' +
        'afterEventId = if_not_exists(afterEventId, :after), dueAt = if_not_exists(dueAt, :dueAt), ' +
        'gsi2pk = :duePk, gsi2sk = if_not_exists(gsi2sk, :dueSk), #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':type': 'notification',
        ':ticketId': ticketId,
        ':userId': userId,
        ':last': change.lastEventId,
        ':after': change.afterEventId,
        ':dueAt': dueAt,
        ':duePk': notificationKeys.due().gsi2pk,
        ':dueSk': notificationKeys.dueAt(dueAt, ticketId, userId),
        ':ttl': epochSeconds(change.dueAt) + batchLifetimeSeconds,
      },
    },
  };
}

/**
 * Records that `userId` saw `eventIds` live (their pushes reached a connection of theirs subscribed to the
 * ticket): only where a batch is open for them, and while it has room.
 */
export async function markSeen(ticketId: string, userId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: notificationKeys.batch(ticketId, userId),
        UpdateExpression: 'ADD seen :ids',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(seen) OR size(seen) < :max)',
        ExpressionAttributeValues: { ':ids': new Set(eventIds), ':max': maxSeen },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

function toBatch(item: Item): NotificationBatch {
  return {
    ticketId: String(item.ticketId),
    userId: String(item.userId),
    afterEventId: String(item.afterEventId),
    lastEventId: String(item.lastEventId),
    dueAt: String(item.dueAt),
    seen: new Set((item.seen as Set<string> | undefined) ?? []),
  };
}

export async function getBatch(ticketId: string, userId: string): Promise<NotificationBatch | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({
      TableName: config.tableName,
      Key: notificationKeys.batch(ticketId, userId),
      ConsistentRead: true,
    }),
  );
  return Item ? toBatch(Item) : undefined;
}

/** Batches whose window has ended at `now`, oldest first, as (ticket, person) pairs. */
export async function listDueBatches(now: Date, limit: number): Promise<{ ticketId: string; userId: string }[]> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':pk': notificationKeys.due().gsi2pk, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => ({ ticketId: String(item.ticketId), userId: String(item.userId) }));
}

const closeBatch = (batch: NotificationBatch) => ({
  TableName: config.tableName,
  Key: notificationKeys.batch(batch.ticketId, batch.userId),
  ConditionExpression: 'lastEventId = :last',
  ExpressionAttributeValues: { ':last': batch.lastEventId },
});

/** The write that closes `batch` as read (with its e-mail queued): refused if an event was added to it since. */
export const closeBatchItem = (batch: NotificationBatch): TransactItem => ({ Delete: closeBatch(batch) });

/** Closes `batch` with nothing to send; false when an event was added to it since it was read. */
export async function dropBatch(batch: NotificationBatch): Promise<boolean> {
  try {
    await dynamoClient().send(new DeleteCommand(closeBatch(batch)));
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
