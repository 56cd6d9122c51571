// Small DynamoDB helpers the store modules share: reading whole (bounded) partitions, batch reads and
// writes with their unprocessed remainder, and telling why a conditional write or transaction was refused.
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { Unavailable } from '../errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;

/** Every page of a Query whose result is known to be small (a person's groups, a group's members). */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({ ...input, TableName: config.tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Batch requests sent for one chunk at most, the first included, before what is left unprocessed is a 503. */
const batchRounds = 9;

/**
 * Sends a batch request for `pending`, then again for what DynamoDB left unprocessed (`send` answers it),
 * pausing longer each time, as DynamoDB asks of batch callers.
 */
async function untilProcessed<T>(pending: T[], send: (pending: T[]) => Promise<T[] | undefined>): Promise<void> {
  for (let round = 0; pending.length > 0; round++) {
    if (round === batchRounds) throw new Unavailable('DynamoDB');
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
    pending = (await send(pending)) ?? [];
  }
}

/** GetItem for many keys (any number), in the order of `keys`; missing items are left out. */
export async function batchGet(keys: readonly Key[], consistent = false): Promise<Item[]> {
  const found = new Map<string, Item>();
  for (let i = 0; i < keys.length; i += 100) {
    const chunk: Record<string, unknown>[] = keys.slice(i, i + 100).map(({ pk, sk }) => ({ pk, sk }));
    await untilProcessed(chunk, async (pending) => {
      const answer = await dynamoClient().send(
        new BatchGetCommand({
          RequestItems: { [config.tableName]: { Keys: pending, ConsistentRead: consistent } },
        }),
      );
      for (const item of answer.Responses?.[config.tableName] ?? []) found.set(`${item.pk}\n${item.sk}`, item);
      return answer.UnprocessedKeys?.[config.tableName]?.Keys;
    });
  }
  return keys.flatMap(({ pk, sk }) => {
    const item = found.get(`${pk}\n${sk}`);
    return item ? [item] : [];
  });
}

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** PutItem for many items (any number), 25 per BatchWriteItem; unconditional, so putting one twice is harmless. */
export async function batchPut(items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    const chunk: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await untilProcessed(chunk, async (pending) => {
      const answer = await dynamoClient().send(
        new BatchWriteCommand({ RequestItems: { [config.tableName]: pending } }),
      );
      return answer.UnprocessedItems?.[config.tableName];
    });
  }
}

/** DeleteItem for many keys (any number), 25 per BatchWriteItem; deleting what is gone is harmless. */
export async function batchDelete(keys: readonly Key[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    const chunk: WriteRequest[] = keys.slice(i, i + 25).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
    await untilProcessed(chunk, async (pending) => {
      const answer = await dynamoClient().send(
        new BatchWriteCommand({ RequestItems: { [config.tableName]: pending } }),
      );
      return answer.UnprocessedItems?.[config.tableName];
    });
  }
}

/** One page of a Query, and where the next one starts (undefined: that was the last). */
export async function queryPage(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  startKey: Record<string, unknown> | undefined,
): Promise<{ items: Item[]; next?: Record<string, unknown> }> {
  const page = await dynamoClient().send(
    new QueryCommand({ ...input, TableName: config.tableName, ExclusiveStartKey: startKey }),
  );
  return { items: page.Items ?? [], ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}

type CancellationReason = { Code?: string };

function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/**
 * True when a conditional write failed its condition; for a transaction, when the item at `index`
 * (or any item, without an index) did.
 */
export function conditionFailed(error: unknown, index?: number): boolean {
  if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return true;
  const reasons = cancellationReasons(error);
  if (!reasons) return false;
  if (index === undefined) return reasons.some((r) => r.Code === 'ConditionalCheckFailed');
  return reasons[index]?.Code === 'ConditionalCheckFailed';
}

const cancelledFor = (error: unknown, codes: ReadonlySet<string>): boolean =>
  cancellationReasons(error)?.some((r) => r.Code !== undefined && codes.has(r.Code)) ?? false;

/** Another transaction was writing the same items at the same moment; trying again settles it. */
export function transactionConflict(error: unknown): boolean {
  return cancelledFor(error, conflictCodes);
}

/**
 * A transaction that trying again a little later settles: another one was writing the same items, or
 * DynamoDB throttled one of its items (which it reports as a cancellation reason, not as a throttling error).
 */
export function transactionBusy(error: unknown): boolean {
  return cancelledFor(error, busyCodes);
}

const conflictCodes: ReadonlySet<string> = new Set(['TransactionConflict']);
const busyCodes: ReadonlySet<string> = new Set([...conflictCodes, 'ThrottlingError', 'ProvisionedThroughputExceeded']);

export async function transact(items: TransactItem[]): Promise<void> {
  await dynamoClient().send(new TransactWriteCommand({ TransactItems: items }));
}

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
