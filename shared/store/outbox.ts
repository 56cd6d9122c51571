// The e-mail outbox: every e-mail is stored here, in the same transaction as what it announces, before
// SES is called. An item stays on the "due" index while a send is owed, and leaves it when the e-mail
// went out, was given up on, was cancelled (an invitation resent or revoked, a reset asked for an address
// without an account), or its address is suppressed (shared/store/suppressions.ts). An item may be queued
// without a body: the outbox job writes it when it first takes the item (a password reset, see
// shared/mail/outbox.ts).
//
// Access patterns (pattern → key/index → operation):
//   outbox item by id          pk=OUTBOX#<id>      sk=OUTBOX                       GetItem, conditional Update
//   items due for a send       gsi2pk=OUTBOX_DUE   gsi2sk=<nextAttemptAt>#<id>     Query on gsi2, gsi2sk <= now
//   items to an address        gsi1pk=OUTBOX#TO#<address>  gsi1sk=<id>             Query gsi1 (a person's data,
//                                                                                  shared/privacy/)
//
// The body (subject, HTML and text, which carry the link and so the raw token) is stored sealed
// (shared/mail/sealed.ts: AES-256-GCM), never in clear, and only while a send is owed: it is removed when
// the item leaves the due index.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { Delivery } from '../domain/invites.js';
import { deliveryStatusOf, type SuppressionReason } from '../domain/suppressions.js';
import { conditionFailed, epochSeconds, type Item, type Key, type TransactItem } from './dynamo.js';
import { partitions } from './partitions.js';

export const outboxKeys = {
  item: (id: string) => ({ pk: `${partitions.outbox}${id}`, sk: 'OUTBOX' }),
  due: () => ({ gsi2pk: 'OUTBOX_DUE' }),
  to: (address: string) => ({ index: 'gsi1', pk: `OUTBOX#TO#${address.toLowerCase()}` }),
  dueAt: (at: string, id: string) => `${at}#${id}`,
};

export type OutboxStatus = 'queued' | 'sent' | 'failed' | 'cancelled' | 'suppressed';

export interface OutboxItem {
  id: string;
  kind: 'invite' | 'password_reset' | 'auto_reply' | 'notification';
  to: string;
  /** The sealed subject, HTML and text; absent until composed, and once nothing more is owed. */
  body?: string;
  status: OutboxStatus;
  attempts: number;
  lastError?: string;
  /** When the next send is owed; absent once nothing more will be tried. */
  nextAttemptAt?: string;
  /** The item whose `delivery` mirrors this e-mail's fate (an invitation), with its `outboxId`. */
  deliveryOf?: Key;
  createdAt: string;
  ttl: number;
}

/** The index attributes an outbox item carries: its address's list. */
export const outboxIndexOf = (item: Pick<OutboxItem, 'id' | 'to'>): Item => ({
  gsi1pk: outboxKeys.to(item.to).pk,
  gsi1sk: item.id,
});

/** A new item, owed a send at `dueAt` and kept until `expiresAt` (when its link dies). */
export function newOutboxItem(
  fields: Pick<OutboxItem, 'id' | 'kind' | 'to' | 'body' | 'deliveryOf'>,
  times: { now: Date; dueAt: Date; expiresAt: Date },
): OutboxItem {
  return {
    ...fields,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: times.dueAt.toISOString(),
    createdAt: times.now.toISOString(),
    ttl: epochSeconds(times.expiresAt),
  };
}

function queuePut(item: OutboxItem) {
  if (!item.nextAttemptAt) throw new Error('a queued e-mail needs nextAttemptAt');
  return {
    TableName: config.tableName,
    Item: {
      ...outboxKeys.item(item.id),
      ...outboxKeys.due(),
      gsi2sk: outboxKeys.dueAt(item.nextAttemptAt, item.id),
      ...outboxIndexOf(item),
      type: 'outbox',
      ...item,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/** The write that queues an e-mail; part of the transaction that creates what it announces. */
export const queueItem = (item: OutboxItem): TransactItem => ({ Put: queuePut(item) });

/**
 * The write that gives a claimed item (attempt `item.attempts`) its body and the expiry of the link in it;
 * part of the transaction that stores that link.
 */
export function composeItem(item: OutboxItem, body: string, expiresAt: Date): TransactItem {
  return {
    Update: {
      TableName: config.tableName,
      Key: outboxKeys.item(item.id),
      UpdateExpression: 'SET body = :body, #ttl = :ttl',
      ConditionExpression: 'attempts = :attempts AND attribute_not_exists(body) AND attribute_exists(gsi2pk)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':body': body, ':ttl': epochSeconds(expiresAt), ':attempts': item.attempts },
    },
  };
}

/** The write that stops a queued e-mail from being sent (its link was replaced or revoked). */
export function cancelItem(id: string): TransactItem {
  return {
    Update: {
      TableName: config.tableName,
      Key: outboxKeys.item(id),
      UpdateExpression: 'SET #status = :cancelled REMOVE gsi2pk, gsi2sk, nextAttemptAt, body',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'cancelled' },
    },
  };
}

const fromItem = (item: Item): OutboxItem => {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, type, ...rest } = item;
  return rest as unknown as OutboxItem;
};

export async function getOutboxItem(id: string): Promise<OutboxItem | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: outboxKeys.item(id), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/** Ids of items whose next send is due at `now`, oldest first. */
export async function listDue(now: Date, limit: number): Promise<string[]> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':pk': outboxKeys.due().gsi2pk, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => String(item.id));
}

/**
 * Takes the right to make attempt number `attempts + 1`: only one sender wins for a given attempt, and
 * the item is pushed `leaseSeconds` into the future so nobody else picks it up while SES answers.
 * Undefined when someone else already took it, or nothing is owed.
 */
export async function claim(item: OutboxItem, now: Date, leaseSeconds: number): Promise<OutboxItem | undefined> {
  const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  try {
    const { Attributes } = await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: outboxKeys.item(item.id),
        UpdateExpression: 'SET attempts = attempts + :one, nextAttemptAt = :lease, gsi2sk = :due',
        ConditionExpression: 'attempts = :seen AND attribute_exists(gsi2pk)',
        ExpressionAttributeValues: {
          ':one': 1,
          ':seen': item.attempts,
          ':lease': leaseUntil,
          ':due': outboxKeys.dueAt(leaseUntil, item.id),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? fromItem(Attributes) : undefined;
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}

/**
 * How a claimed attempt ended: sent, failed (with a retry at `retryAt`, or for good), or not made because
 * the address is suppressed.
 */
export type AttemptOutcome =
  | { sent: true }
  | { sent: false; error: string; retryAt?: Date }
  | { sent: false; error: string; suppressed: SuppressionReason };

/** Records the attempt a claim allowed. */
export async function recordAttempt(item: OutboxItem, outcome: AttemptOutcome): Promise<void> {
  const values: Record<string, unknown> = { ':attempts': item.attempts };
  const names: Record<string, string> = { '#status': 'status' };
  let expression: string;
  if (outcome.sent) {
    expression = 'SET #status = :sent REMOVE gsi2pk, gsi2sk, nextAttemptAt, body, lastError';
    values[':sent'] = 'sent';
  } else if ('retryAt' in outcome && outcome.retryAt) {
    const at = outcome.retryAt.toISOString();
    expression = 'SET #status = :failed, lastError = :error, nextAttemptAt = :at, gsi2sk = :due';
    Object.assign(values, {
      ':failed': 'failed',
      ':error': outcome.error,
      ':at': at,
      ':due': outboxKeys.dueAt(at, item.id),
    });
  } else {
    expression = 'SET #status = :ended, lastError = :error REMOVE gsi2pk, gsi2sk, nextAttemptAt, body';
    Object.assign(values, { ':ended': 'suppressed' in outcome ? 'suppressed' : 'failed', ':error': outcome.error });
  }
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: outboxKeys.item(item.id),
        UpdateExpression: expression,
        // Only the attempt we claimed may be recorded, and never over a cancellation.
        ConditionExpression: 'attempts = :attempts AND #status <> :cancelled',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':cancelled': 'cancelled' },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    return;
  }
  if (item.deliveryOf) await mirrorDelivery(item, deliveryAfter(item, outcome));
}

function deliveryAfter(item: OutboxItem, outcome: AttemptOutcome): Delivery {
  if (outcome.sent) return { status: 'sent', attempts: item.attempts };
  const status = 'suppressed' in outcome ? deliveryStatusOf(outcome.suppressed) : 'failed';
  return { status, attempts: item.attempts, lastError: outcome.error };
}

/**
 * SES reported after the send that the e-mail of outbox item `outboxId` bounced or drew a complaint: the
 * item whose delivery it is (an invitation) says so, unless it has since moved on to another e-mail.
 */
export async function reportDelivery(outboxId: string, reason: SuppressionReason, detail: string): Promise<void> {
  const item = await getOutboxItem(outboxId);
  if (!item?.deliveryOf) return;
  await mirrorDelivery(item, { status: deliveryStatusOf(reason), attempts: item.attempts, lastError: detail });
}

/**
 * Copies the outcome onto the invitation, unless it has since moved on to another e-mail (a resend). SES's
 * report of a bounce or complaint is final: it may even arrive before the send is recorded, which then
 * leaves it in place.
 */
async function mirrorDelivery(item: OutboxItem, delivery: Delivery) {
  const final = delivery.status === 'bounced' || delivery.status === 'complained';
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: item.deliveryOf,
        UpdateExpression: 'SET delivery = :delivery',
        ConditionExpression: final
          ? 'outboxId = :id'
          : 'outboxId = :id AND NOT (delivery.#status IN (:bounced, :complained))',
        ...(final ? {} : { ExpressionAttributeNames: { '#status': 'status' } }),
        ExpressionAttributeValues: {
          ':delivery': delivery,
          ':id': item.id,
          ...(final ? {} : { ':bounced': 'bounced', ':complained': 'complained' }),
        },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}
