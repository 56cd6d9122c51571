// Sending what the outbox holds: once right away by the request that queued it, then by the scheduled job
// (functions/scheduled/outbox.ts) with exponential backoff until it goes out or we give up. Every
// failure is logged as 'mail send failed', which the deployed stack's alarm watches.
import { ulid } from 'ulid';
import type { Delivery } from '../domain/invites.js';
import { logger } from '../observability/logger.js';
import { mailDelivery } from '../observability/metrics.js';
import type { Key, TransactItem } from '../store/dynamo.js';
import { claim, getOutboxItem, listDue, type OutboxItem, queueItem, recordAttempt } from '../store/outbox.js';
import { openBody, sealBody } from './sealed.js';
import { sendEmail } from './send.js';
import type { RenderedMail } from './templates.js';

export const maxAttempts = 8;
/** How long a sender may take before another one may retry the same e-mail. */
const leaseSeconds = 120;

/** 1, 2, 4 … minutes after each failed attempt, at most an hour: about two hours of trying in all. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 60 * 60);
}

export interface QueuedEmail {
  item: OutboxItem;
  /** To be written in the same transaction as what the e-mail announces. */
  write: TransactItem;
}

export async function queueEmail(
  kind: OutboxItem['kind'],
  message: RenderedMail & { to: string },
  options: { now: Date; expiresAt: Date; deliveryOf?: Key },
): Promise<QueuedEmail> {
  const id = ulid();
  const item: OutboxItem = {
    id,
    kind,
    to: message.to,
    body: await sealBody(id, message),
    status: 'queued',
    attempts: 0,
    // The request that queues it sends it at once; the job only steps in if that send never finished.
    nextAttemptAt: new Date(options.now.getTime() + leaseSeconds * 1000).toISOString(),
    ...(options.deliveryOf ? { deliveryOf: options.deliveryOf } : {}),
    createdAt: options.now.toISOString(),
    ttl: Math.floor(options.expiresAt.getTime() / 1000),
  };
  return { item, write: queueItem(item) };
}

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

/**
 * One attempt at sending `item`. Returns the resulting delivery, or undefined when another sender holds
 * the attempt or nothing is owed any more.
 */
export async function deliver(item: OutboxItem, now = new Date()): Promise<Delivery | undefined> {
  const claimed = await claim(item, now, leaseSeconds);
  if (!claimed?.body) return undefined;
  if (claimed.ttl * 1000 <= now.getTime()) {
    // Its link has expired: sending it now would only deliver a dead link.
    const lastError = 'the link expired before the e-mail could be sent';
    await recordAttempt(claimed, { sent: false, error: lastError });
    mailDelivery(claimed.kind, 'failed');
    return { status: 'failed', attempts: claimed.attempts, lastError };
  }
  try {
    await sendEmail({ to: claimed.to, ...(await openBody(claimed.id, claimed.body)) });
  } catch (error) {
    const lastError = describe(error);
    const retry = claimed.attempts < maxAttempts;
    logger.error('mail send failed', {
      outboxId: claimed.id,
      kind: claimed.kind,
      attempts: claimed.attempts,
      willRetry: retry,
      error: lastError,
    });
    const retryAt = retry ? new Date(now.getTime() + retryDelaySeconds(claimed.attempts) * 1000) : undefined;
    await recordAttempt(claimed, { sent: false, error: lastError, retryAt });
    mailDelivery(claimed.kind, 'failed');
    return { status: 'failed', attempts: claimed.attempts, lastError };
  }
  await recordAttempt(claimed, { sent: true });
  mailDelivery(claimed.kind, 'sent');
  return { status: 'sent', attempts: claimed.attempts };
}

/**
 * The request's own attempt, right after queueing. It never fails the request: what it queued is already
 * safe in the outbox, and the job retries whatever this attempt could not finish.
 */
export async function deliverNow(item: OutboxItem, now = new Date()): Promise<Delivery | undefined> {
  try {
    return await deliver(item, now);
  } catch (error) {
    // The table, not SES, failed us (SES failures are recorded by deliver); the job will pick the item up.
    logger.error('outbox attempt interrupted', { outboxId: item.id, kind: item.kind, error: describe(error) });
    return undefined;
  }
}

/** Sends every e-mail whose retry is due (the scheduled job). */
export async function deliverDue(now = new Date(), batchSize = 25): Promise<{ sent: number; failed: number }> {
  const result = { sent: 0, failed: 0 };
  for (const id of await listDue(now, batchSize)) {
    const item = await getOutboxItem(id);
    if (!item) continue;
    const delivery = await deliverNow(item, now);
    if (delivery?.status === 'sent') result.sent++;
    else if (delivery?.status === 'failed') result.failed++;
  }
  return result;
}
