// The daily aggregates behind GET /reports/summary (shared/domain/reports.ts): one item per
// day × topic × group × agent, whose counters each ticket change increments in its own transaction.
//
// Access patterns (pattern → key/index → operation):
//   add to an aggregate                 pk=REPORT#<yyyy>  sk=DAY#<day>#<topic>#<group|->#<agent|->   UpdateItem ADD (in the change's transaction)
//   the aggregates of a period          pk=REPORT#<yyyy>  sk BETWEEN DAY#<from> AND DAY#<to>#~       Query (one or two years)
//
//   a rating's comment                  pk=REPORT_COMMENTS#<yyyy>  sk=<day>#<eventId>                     PutItem (in the rating's transaction)
//   the latest comments of a period     pk=REPORT_COMMENTS#<yyyy>  sk BETWEEN <from> AND <to>#~, newest first   Query desc, Limit
//
// One partition per year keeps a year's summary to a Query of a single partition (a few pages), never a
// Scan; a help desk's changes (a few per second at most) are far below a partition's write limit.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { type Delta, type RatingComment, type ReportedTicket, reportKeyId } from '../domain/reports.js';
import type { Item, TransactItem } from './dynamo.js';
import { ticketKeys } from './tickets.js';

export const reportKeys = {
  aggregate: (key: Delta['key']) => ({ pk: `REPORT#${key.day.slice(0, 4)}`, sk: `DAY#${reportKeyId(key)}` }),
  comment: (day: string, eventId: string) => ({ pk: `REPORT_COMMENTS#${day.slice(0, 4)}`, sk: `${day}#${eventId}` }),
};

/** The transaction item that adds `delta` to its aggregate (created on first use). */
export function reportItem(delta: Delta): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':day': delta.key.day,
    ':topic': delta.key.topic,
    ':group': delta.key.groupId ?? '-',
    ':agent': delta.key.agentId ?? '-',
  };
  const adds = Object.entries(delta.adds).map(([name, by], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = by;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: config.tableName,
      Key: reportKeys.aggregate(delta.key),
      UpdateExpression: `SET #type = :type, #day = :day, #topic = :topic, #group = :group, #agent = :agent ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: {
        ...names,
        '#type': 'type',
        '#day': 'day',
        '#topic': 'topic',
        '#group': 'groupKey',
        '#agent': 'agentKey',
      },
      ExpressionAttributeValues: { ...values, ':type': 'report' },
    },
  };
}

const counterNames = /^(created|resolved|fr\d+|rs\d+|frMet|frMissed|rsMet|rsMissed|satSum|satCount)$/;

function deltaOf(item: Item): Delta {
  const adds: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) if (counterNames.test(name)) adds[name] = Number(value);
  return {
    key: {
      day: String(item.day),
      topic: String(item.topic),
      groupId: item.groupKey === '-' ? null : String(item.groupKey),
      agentId: item.agentKey === '-' ? null : String(item.agentKey),
    },
    adds,
  };
}

/** Every aggregate of the days from `from` to `to` (YYYY-MM-DD, at most two calendar years apart). */
export async function queryAggregates(from: string, to: string): Promise<Delta[]> {
  const found: Delta[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamoClient().send(
        new QueryCommand({
          TableName: config.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `REPORT#${year}`, ':from': `DAY#${from}`, ':to': `DAY#${to}#~` },
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...(page.Items ?? []).map(deltaOf));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return found;
}

// ---- The rebuild from the timelines (shared/tickets/report-rebuild.ts) --------------------------------
//
//   tickets of a month, a page at a time   gsi1pk=TICKETS#MONTH#<yyyy-mm>              Query gsi1 (ids only)
//   mark a ticket counted                  pk=TICKET#<id>  sk=TICKET                    UpdateItem if version = read AND reported absent (in the transaction of its aggregates)
//   where the rebuild is                   pk=REPORT_REBUILD  sk=STATE                  GetItem / PutItem

/** A page of the ids of the tickets opened in `month` (UTC `yyyy-mm`), from `startKey`. */
export async function ticketIdsOfMonth(
  month: string,
  startKey: Record<string, unknown> | undefined,
  limit: number,
): Promise<{ ids: string[]; next: Record<string, unknown> | undefined }> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `TICKETS#MONTH#${month}` },
      ExclusiveStartKey: startKey,
      Limit: limit,
    }),
  );
  return { ids: (page.Items ?? []).map((item) => String(item.gsi1sk)), next: page.LastEvaluatedKey };
}

/**
 * Marks a ticket counted, with the fields its timeline left (ReportedTicket), if it is still at the version
 * read and not counted yet. The version moves on, so that a change planned on the older one is retried.
 */
export function markReportedItem(
  ticketId: string,
  readVersion: number,
  stamped: Pick<ReportedTicket, 'firstRespondedAt' | 'resolvedAt' | 'rating'>,
): TransactItem {
  const sets = ['reported = :true', 'version = version + :one'];
  const values: Record<string, unknown> = { ':true': true, ':one': 1, ':read': readVersion };
  for (const [name, value] of Object.entries(stamped)) {
    if (value === undefined) continue;
    sets.push(`${name} = :${name}`);
    values[`:${name}`] = value;
  }
  return {
    Update: {
      TableName: config.tableName,
      Key: ticketKeys.ticket(ticketId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'version = :read AND attribute_not_exists(reported)',
      ExpressionAttributeValues: values,
    },
  };
}

export interface RebuildState {
  /** The month being read, and where in it. */
  month: string;
  startKey?: Record<string, unknown>;
  counted: number;
  already: number;
  skipped: string[];
}

const rebuildKey = { pk: 'REPORT_REBUILD', sk: 'STATE' };

export async function getRebuildState(): Promise<RebuildState | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: rebuildKey, ConsistentRead: true }),
  );
  return Item ? (JSON.parse(String(Item.state)) as RebuildState) : undefined;
}

export async function putRebuildState(state: RebuildState | undefined): Promise<void> {
  if (!state) {
    await dynamoClient().send(new DeleteCommand({ TableName: config.tableName, Key: rebuildKey }));
    return;
  }
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...rebuildKey, type: 'report_rebuild', state: JSON.stringify(state) },
    }),
  );
}

/** Keeps a rating's comment for the dashboard; `day` is the rating's report day. */
export function commentItem(day: string, eventId: string, comment: RatingComment): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...reportKeys.comment(day, eventId), type: 'report_comment', ...comment },
    },
  };
}

/** The newest `limit` comments of the days from `from` to `to` (at most two calendar years apart). */
export async function latestComments(from: string, to: string, limit: number): Promise<RatingComment[]> {
  const found: RatingComment[] = [];
  for (let year = Number(to.slice(0, 4)); year >= Number(from.slice(0, 4)) && found.length < limit; year--) {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `REPORT_COMMENTS#${year}`, ':from': from, ':to': `${to}#~` },
        ScanIndexForward: false,
        Limit: limit - found.length,
      }),
    );
    for (const item of page.Items ?? []) {
      found.push({
        ticketId: String(item.ticketId),
        ticketNumber: Number(item.ticketNumber),
        score: Number(item.score),
        comment: String(item.comment),
        createdAt: String(item.createdAt),
      });
    }
  }
  return found;
}
