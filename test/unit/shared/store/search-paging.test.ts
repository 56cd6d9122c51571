// The page cutter (pageTickets) against an in-memory stand-in for DynamoDB's Query: whatever the tickets,
// months, groups, filters and page size, following the cursor gives exactly the visible tickets, newest
// first, each once. The real thing is exercised in test/integration/tickets.
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/domain/roles.js';
import { indexWords } from '../../../../shared/domain/search.js';
import { matchesFilters, type Status, statuses, type TicketRecord } from '../../../../shared/domain/tickets.js';
import type { Item } from '../../../../shared/store/dynamo.js';
import { firstPosition, maxRounds, pageTickets, sourcesFor } from '../../../../shared/store/search.js';
import { membershipItems, putTicketItem, wordItems } from '../../../../shared/store/tickets.js';

const dynamo = mockClient(DynamoDBDocumentClient);
let table: Item[] = [];
let counterStart: string | undefined;
let queries = 0;

beforeAll(() => {
  process.env.TABLE_NAME ??= 'atende';
});

beforeEach(() => {
  dynamo.reset();
  queries = 0;
  dynamo.on(QueryCommand).callsFake((input) => {
    queries++;
    const index = input.IndexName as string;
    const pk = input.ExpressionAttributeValues[':pk'];
    const below = input.ExpressionAttributeValues[':position'];
    const matching = table
      .filter((item) => item[`${index}pk`] === pk && String(item[`${index}sk`]) < below)
      .sort((a, b) => (String(a[`${index}sk`]) < String(b[`${index}sk`]) ? 1 : -1));
    const items = matching.slice(0, input.Limit);
    const last = items[items.length - 1];
    // Like DynamoDB, a page that reached its Limit has a LastEvaluatedKey even if nothing follows.
    return {
      Items: items,
      ...(items.length === input.Limit && last ? { LastEvaluatedKey: { [`${index}sk`]: last[`${index}sk`] } } : {}),
    };
  });
  dynamo.on(GetCommand).callsFake(() => ({
    Item: counterStart ? { pk: 'COUNTER', sk: 'TICKET_NUMBER', value: 1, startedAt: counterStart } : undefined,
  }));
  dynamo.on(BatchGetCommand).callsFake((input) => {
    const keys = input.RequestItems.atende.Keys as Array<{ pk: string; sk: string }>;
    return {
      Responses: { atende: table.filter((item) => keys.some((k) => k.pk === item.pk && k.sk === item.sk)) },
    };
  });
});

const now = new Date('2030-06-20T12:00:00.000Z');
const groups = ['G1', 'G2', 'G3'];
const people = ['U1', 'U2', 'U3'];

interface Spec {
  monthsAgo: number;
  offsetMs: number;
  group: number;
  requester: number;
  status: Status;
  assignee: number;
  word: boolean;
}

function record(spec: Spec): TicketRecord {
  const monthStart = Date.UTC(2030, 5 - spec.monthsAgo, 1);
  const time = Math.min(monthStart + spec.offsetMs, now.getTime() - 1);
  const id = ulid(time);
  const createdAt = new Date(time).toISOString();
  return {
    id,
    number: 1,
    ...(spec.group < groups.length ? { groupId: groups[spec.group] } : {}),
    requesterId: people[spec.requester] as string,
    requesterName: 'x',
    requesterEmail: 'x@example.com',
    followerIds: [],
    subject: spec.word ? 'Nota fiscal' : 'Boleto',
    description: '',
    topic: 'other',
    priority: 'normal',
    status: spec.status,
    channel: 'portal',
    ...(spec.assignee < people.length ? { assigneeId: people[spec.assignee] } : {}),
    createdAt,
    updatedAt: createdAt,
    version: 1,
    attachments: [],
    words: indexWords(spec.word ? 'Nota fiscal' : 'Boleto', ''),
    lastEventId: id,
  };
}

function store(records: TicketRecord[]): void {
  table = records.flatMap((r) =>
    [putTicketItem(r), ...wordItems(r), ...membershipItems(undefined, r)].flatMap((w) =>
      w.Put?.Item ? [w.Put.Item] : [],
    ),
  );
  counterStart = records.map((r) => r.createdAt).sort()[0];
}

const spec = fc.record({
  monthsAgo: fc.integer({ min: 0, max: 3 }),
  offsetMs: fc.integer({ min: 0, max: 27 * 24 * 3600 * 1000 }),
  group: fc.integer({ min: 0, max: 3 }),
  requester: fc.integer({ min: 0, max: 2 }),
  status: fc.constantFrom(...statuses),
  assignee: fc.integer({ min: 0, max: 3 }),
  word: fc.boolean(),
});

// Customers weigh most: their lists merge several partitions, which is where paging can go wrong.
const principal = fc.oneof(
  {
    arbitrary: fc.constant<Principal>({ userId: 'A9', role: 'agent', groupIds: [], name: 'a', email: 'a@x' }),
    weight: 1,
  },
  {
    arbitrary: fc
      .subarray(groups, { minLength: 1 })
      .map<Principal>((groupIds) => ({ userId: 'U1', role: 'customer', groupIds, name: 'c', email: 'c@x' })),
    weight: 4,
  },
  {
    arbitrary: fc.constant<Principal>({ userId: 'U2', role: 'platform_user', groupIds: [], name: 'p', email: 'p@x' }),
    weight: 1,
  },
);

const filters = fc.record(
  {
    groupId: fc.constantFrom(...groups),
    status: fc.constantFrom(...statuses),
    assigneeId: fc.constantFrom(...people),
  },
  { requiredKeys: [] },
);

async function readAll(who: Principal, f: object, words: string[] | undefined, limit: number, budget?: number) {
  const plan = sourcesFor(who, f, words);
  const accept = (t: TicketRecord) => matchesFilters(who, t, f) && (!words || words.every((w) => t.words.includes(w)));
  const seen: string[] = [];
  let position: string | undefined = firstPosition(now);
  for (let page = 0; position !== undefined; page++) {
    if (page > 200) throw new Error('the cursor never ended');
    const result = await pageTickets(plan, accept, position, limit, budget);
    expect(result.items.length).toBeLessThanOrEqual(limit);
    seen.push(...result.items.map((t) => t.id));
    position = result.next;
  }
  return seen;
}

describe('paging through tickets (property)', () => {
  it('gives exactly the visible, matching tickets, newest first, each once, across months and partitions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { maxLength: 40 }),
        principal,
        filters,
        fc.boolean(),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        async (specs, who, f, search, limit, budget) => {
          const records = specs.map(record);
          store(records);
          const words = search ? ['nota'] : undefined;
          const expected = records
            .filter((t) => matchesFilters(who, t, f) && (!words || t.words.includes('nota')))
            .map((t) => t.id)
            .sort()
            .reverse();
          expect(await readAll(who, f, words, limit, budget)).toEqual(expected);
        },
      ),
      {
        numRuns: 300,
        // Found by an earlier run: a group partition read ahead of the requester's must not be emitted past it.
        examples: [
          [
            [
              { monthsAgo: 0, offsetMs: 0, group: 2, requester: 0, status: 'new', assignee: 0, word: false },
              { monthsAgo: 0, offsetMs: 0, group: 0, requester: 0, status: 'new', assignee: 0, word: false },
              { monthsAgo: 0, offsetMs: 0, group: 0, requester: 0, status: 'new', assignee: 0, word: false },
            ],
            { userId: 'U1', role: 'customer', groupIds: ['G3'], name: 'c', email: 'c@x' },
            { groupId: 'G3', status: 'new' },
            false,
            2,
            1,
          ],
          // Found by the full suite: a partition that ends below the frontier (G1's May ticket, under the
          // requester partition's still-open June page) must hand its ticket on, not drop it with itself.
          [
            [
              { monthsAgo: 1, offsetMs: 0, group: 0, requester: 1, status: 'resolved', assignee: 0, word: false },
              { monthsAgo: 0, offsetMs: 0, group: 1, requester: 0, status: 'new', assignee: 0, word: false },
              { monthsAgo: 0, offsetMs: 0, group: 1, requester: 0, status: 'new', assignee: 0, word: false },
            ],
            { userId: 'U1', role: 'customer', groupIds: ['G1', 'G3'], name: 'c', email: 'c@x' },
            { status: 'resolved' },
            false,
            2,
            2,
          ],
        ],
      },
    );
  });

  it('bounds the Queries one page may cost, handing back a cursor to continue', async () => {
    // One old ticket and many empty months since: a page stops after maxRounds and says where to go on.
    const old = record({
      monthsAgo: 20,
      offsetMs: 0,
      group: 0,
      requester: 0,
      status: 'open',
      assignee: 3,
      word: false,
    });
    store([old]);
    const who: Principal = { userId: 'A9', role: 'agent', groupIds: [], name: 'a', email: 'a@x' };
    const first = await pageTickets(sourcesFor(who, {}), () => true, firstPosition(now), 25);
    expect(queries).toBe(maxRounds);
    expect(first.items).toHaveLength(0);
    expect(first.next).toBeDefined();
    expect(await readAll(who, {}, undefined, 25)).toEqual([old.id]);
  });
});
