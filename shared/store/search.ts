// Listing and searching tickets without ever scanning: which index partitions a request reads (sourcesFor,
// pure) and how pages are cut from them (pageTickets). The keys themselves are in store/tickets.ts.
//
// Every partition is sorted by ticket id (a ULID), so a page of any combination of partitions is a k-way
// merge, newest first, and one *position* — an id bound, exclusive — continues all of them. Each round
// Queries every partition still open below the position (Limit: the page size, or a bounded read budget
// when filters are checked per ticket), fetches tickets found through small link items with BatchGet, and
// may emit only tickets at or above the highest point some open partition stopped reading at (the
// *frontier*): below it, that partition has not been read yet, so what was read there waits for a later
// round (held, not dropped, even when its partition has ended). A request reads at most `maxRounds` rounds,
// so a page can hold fewer than `limit` tickets and still have a cursor: the client keeps following
// `nextCursor` until it is null.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeTime, encodeTime } from 'ulid';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { isStaff, type Principal } from '../domain/roles.js';
import { leadingWord } from '../domain/search.js';
import { isQueued, type TicketFilters, type TicketRecord } from '../domain/tickets.js';
import { readCounter, ticketNumberCounter } from './counters.js';
import type { Item } from './dynamo.js';
import { getTicketRecords, type IndexPartition, monthOf, ticketIndexes, ticketRecordOf } from './tickets.js';

/** A partition to read: ticket items themselves, or link items whose sort key is a ticket id. */
export type Source =
  | { kind: 'all' }
  | { kind: 'group'; groupId: string }
  | { kind: 'requester'; userId: string }
  | { kind: 'assignee'; userId: string }
  | { kind: 'words'; word: string }
  | { kind: 'groupWords'; groupId: string; word: string }
  | { kind: 'requesterWords'; userId: string; word: string };

export interface Plan {
  sources: Source[];
  /** Whether some filter is left for the per-ticket check (so reading a page may take more than `limit` items). */
  residual: boolean;
}

/**
 * The partitions that hold exactly what `principal` may see, narrowed by the filters an index can apply.
 * `words` are the query's words (domain/search.ts), non-empty when searching.
 */
export function sourcesFor(principal: Principal, filters: Omit<TicketFilters, 'q'>, words?: readonly string[]): Plan {
  const word = words ? leadingWord(words) : undefined;
  const filtered = filters.status !== undefined || filters.topic !== undefined || (words?.length ?? 0) > 1;
  if (isStaff(principal)) {
    if (word !== undefined) {
      const source: Source =
        filters.groupId !== undefined
          ? { kind: 'groupWords', groupId: filters.groupId, word }
          : { kind: 'words', word };
      return { sources: [source], residual: filtered || filters.assigneeId !== undefined };
    }
    if (filters.assigneeId !== undefined) {
      return {
        sources: [{ kind: 'assignee', userId: filters.assigneeId }],
        residual: filtered || filters.groupId !== undefined,
      };
    }
    if (filters.groupId !== undefined) {
      return { sources: [{ kind: 'group', groupId: filters.groupId }], residual: filtered };
    }
    return { sources: [{ kind: 'all' }], residual: filtered };
  }
  // Customers: their groups' partitions, and their own when they have asked for a ticket outside any group
  // (the only tickets of theirs it adds: canSeeTicket); host-platform users: their own. A group filter naming
  // a group they are not in leaves only their own tickets that were opened in it. A customer in one group
  // who never opened a groupless chat reads one partition: one Query per page.
  const groups =
    principal.role !== 'customer'
      ? []
      : filters.groupId === undefined
        ? principal.groupIds
        : principal.groupIds.filter((g) => g === filters.groupId);
  const own: Source =
    word === undefined
      ? { kind: 'requester', userId: principal.userId }
      : { kind: 'requesterWords', userId: principal.userId, word };
  const readsOwn = principal.role !== 'customer' || principal.ungroupedTickets !== false;
  return {
    sources: [
      ...groups.map(
        (groupId): Source => (word === undefined ? { kind: 'group', groupId } : { kind: 'groupWords', groupId, word }),
      ),
      ...(readsOwn ? [own] : []),
    ],
    residual: true,
  };
}

function partitionOf(source: Exclude<Source, { kind: 'all' }>): IndexPartition & { links: boolean } {
  switch (source.kind) {
    case 'group':
      return { ...ticketIndexes.group(source.groupId), links: false };
    case 'requester':
      return { ...ticketIndexes.requester(source.userId), links: false };
    case 'assignee':
      return { ...ticketIndexes.assignee(source.userId), links: true };
    case 'words':
      return { ...ticketIndexes.wordAll(source.word), links: true };
    case 'groupWords':
      return { ...ticketIndexes.wordGroup(source.groupId, source.word), links: true };
    case 'requesterWords':
      return { ...ticketIndexes.wordRequester(source.userId, source.word), links: true };
  }
}

// ---- Positions ---------------------------------------------------------------------------------------

/** A position is a ticket id or a bound shaped like one: 26 Crockford base32 characters. */
export const positionPattern = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

const lowestRandom = '0'.repeat(16);

/** Above every ticket created until a minute from now (clocks of different machines drift a little). */
export const firstPosition = (now: Date): string => `${encodeTime(now.getTime() + 60_000, 10)}${'Z'.repeat(16)}`;

/** The bound below which the tickets of months before `month` lie. */
const monthStart = (month: string): string =>
  `${encodeTime(Date.parse(`${month}-01T00:00:00.000Z`), 10)}${lowestRandom}`;

/**
 * The month whose partition holds the newest ticket below `position`. Below a bound with the lowest random
 * part at time t come only ids of earlier milliseconds, so a month's own start bound leads to the month before.
 */
function monthBelow(position: string): string {
  const time = decodeTime(position) - (position.endsWith(lowestRandom) ? 1 : 0);
  return monthOf(new Date(time).toISOString());
}

// ---- Reading -----------------------------------------------------------------------------------------

/** Rounds of Queries one request may make; each round reads at most `readBudget` items per partition. */
export const maxRounds = 8;
export const readBudget = 100;

interface Read {
  /** Ticket ids found, with the ticket when the partition holds ticket items. */
  found: Array<{ id: string; record?: TicketRecord }>;
  /** Where this partition stopped reading (exclusive), or null when nothing is left below the position. */
  next: string | null;
}

async function queryBelow(partition: IndexPartition, position: string, limit: number) {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: partition.index,
      KeyConditionExpression: '#pk = :pk AND #sk < :position',
      ExpressionAttributeNames: { '#pk': `${partition.index}pk`, '#sk': `${partition.index}sk` },
      ExpressionAttributeValues: { ':pk': partition.pk, ':position': position },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const items = page.Items ?? [];
  const sortKey = (item: Item) => String(item[`${partition.index}sk`]);
  const last = page.LastEvaluatedKey ? sortKey(page.LastEvaluatedKey) : null;
  return { items, sortKey, last };
}

async function read(
  source: Source,
  position: string,
  limit: number,
  oldestMonth: () => Promise<string | undefined>,
): Promise<Read> {
  if (source.kind === 'all') {
    const month = monthBelow(position);
    const { items, last } = await queryBelow(ticketIndexes.month(month), position, limit);
    const found = items.map((item) => ({ id: String(item.id), record: ticketRecordOf(item) }));
    if (last !== null) return { found, next: last };
    // This month is read to its start: go on with the month before, unless no ticket is older.
    const oldest = await oldestMonth();
    return { found, next: oldest !== undefined && month > oldest ? monthStart(month) : null };
  }
  const partition = partitionOf(source);
  const { items, sortKey, last } = await queryBelow(partition, position, limit);
  const found = items.map((item) =>
    partition.links ? { id: sortKey(item) } : { id: sortKey(item), record: ticketRecordOf(item) },
  );
  return { found, next: last };
}

export interface TicketPage {
  items: TicketRecord[];
  /** Where the next page starts; absent at the end. */
  next?: string;
}

/**
 * Up to `limit` tickets below `position` from the union of `sources`, newest first, each passing `accept`
 * (filters left to check per ticket, and visibility once more).
 */
export async function pageTickets(
  plan: Plan,
  accept: (ticket: TicketRecord) => boolean,
  position: string,
  limit: number,
  /** Items each partition may read per round when filters are left to check. */
  residualBudget = readBudget,
): Promise<TicketPage> {
  const budget = plan.residual ? Math.max(limit, residualBudget) : limit;
  let oldest: Promise<string | undefined> | undefined;
  const oldestMonth = () => {
    oldest ??= readCounter(ticketNumberCounter).then((c) => (c.startedAt ? monthOf(c.startedAt) : undefined));
    return oldest;
  };

  const page: TicketRecord[] = [];
  let open = plan.sources;
  // Accepted tickets read below the frontier, kept for the next round: a partition that has ended is not
  // read again, so dropping them would lose what it found there (what open partitions found comes back
  // in their next read; resolve keeps one per id).
  let held: TicketRecord[] = [];
  for (let round = 0; round < maxRounds && open.length > 0; round++) {
    const reads = await Promise.all(open.map((source) => read(source, position, budget, oldestMonth)));
    const frontier = reads.reduce<string | undefined>(
      (highest, r) => (r.next !== null && (highest === undefined || r.next > highest) ? r.next : highest),
      undefined,
    );
    const candidates = (
      await resolve([...held.map((record) => ({ id: record.id, record })), ...reads.flatMap((r) => r.found)])
    ).filter(accept);
    const ready = candidates
      .filter((t) => frontier === undefined || t.id >= frontier)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    held = frontier === undefined ? [] : candidates.filter((t) => t.id < frontier);
    const taken = ready.slice(0, limit - page.length);
    page.push(...taken);
    if (page.length === limit) {
      const more = taken.length < ready.length || frontier !== undefined;
      return more ? { items: page, next: page[page.length - 1]?.id } : { items: page };
    }
    if (frontier === undefined) return { items: page };
    position = frontier;
    open = open.filter((_, i) => reads[i]?.next !== null);
  }
  // No partition to read at all (a customer filtering on a group they are not in): an empty end, not a cursor.
  return open.length > 0 ? { items: page, next: position } : { items: page };
}

/** One ticket per id, fetching those found through link items. */
async function resolve(found: Array<{ id: string; record?: TicketRecord }>): Promise<TicketRecord[]> {
  const byId = new Map<string, TicketRecord | undefined>();
  for (const { id, record } of found) {
    if (record) byId.set(id, record);
    else if (!byId.has(id)) byId.set(id, undefined);
  }
  const missing = [...byId].filter(([, record]) => record === undefined).map(([id]) => id);
  for (const record of await getTicketRecords(missing)) byId.set(record.id, record);
  return [...byId.values()].filter((r): r is TicketRecord => r !== undefined);
}

/** Chats waiting in the agents' queue, oldest first. */
export async function queuedTickets(limit: number): Promise<TicketRecord[]> {
  const { index, pk } = ticketIndexes.queue();
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}pk` },
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: true,
      Limit: limit,
    }),
  );
  const ids = (page.Items ?? []).map((item) => String(item[`${index}sk`]));
  // The index lags the table a little: a chat just taken is dropped by checking the ticket itself, with a
  // consistent read (an eventually consistent one may lag just the same).
  return (await getTicketRecords(ids, { consistent: true })).filter(isQueued);
}
