// Sending what the outbox holds: once right away by the request that queued it, then by the scheduled job
// (functions/scheduled/outbox.ts) with exponential backoff until it goes out or we give up. Every
// failure is logged as 'mail send failed', which the deployed stack's alarm watches.
//
// An item may be queued without a body (a password reset request: due at once, so the request does the
// same single write whether or not the address has an account): the composer of its kind, which the
// outbox is given as a parameter (shared/auth/outbox.ts gives it identity's), looks the address up and
// writes the link and the body, or nothing (the item is cancelled), when a sender first takes it.
import { ulid } from 'ulid';
import type { Delivery } from '../domain/invites.js';
import { deliveryStatusOf } from '../domain/suppressions.js';
import { logger } from '../observability/logger.js';
import { mailDelivery } from '../observability/metrics.js';
import { type Key, type TransactItem, transact } from '../store/dynamo.js';
import {
  cancelItem,
  claim,
  composeItem,
  getOutboxItem,
  listDue,
  newOutboxItem,
  type OutboxItem,
  queueItem,
  recordAttempt,
} from '../store/outbox.js';
import { getSuppression } from '../store/suppressions.js';
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
  const item = newOutboxItem(
    { id, kind, to: message.to, body: await sealBody(id, message), deliveryOf: options.deliveryOf },
    // The request that queues it sends it at once; the job only steps in if that send never finished.
    { now: options.now, dueAt: new Date(options.now.getTime() + leaseSeconds * 1000), expiresAt: options.expiresAt },
  );
  return { item, write: queueItem(item) };
}

/** What the job writes for an item queued without a body: the e-mail, its link's expiry, the link's own item. */
export interface Composition {
  mail: RenderedMail;
  expiresAt: Date;
  alongside: TransactItem[];
}

/** Who composes the items of a kind queued without a body; undefined from one means there is nothing to send. */
export type Composers = Partial<
  Record<OutboxItem['kind'], (to: string, now: Date) => Promise<Composition | undefined>>
>;

/** Writes the body of a claimed item queued without one; undefined (and the item cancelled) if none is owed. */
async function compose(composers: Composers, item: OutboxItem, now: Date): Promise<RenderedMail | undefined> {
  const composition = await composers[item.kind]?.(item.to, now);
  if (!composition) {
    await transact([cancelItem(item.id)]);
    return undefined;
  }
  const body = await sealBody(item.id, composition.mail);
  await transact([...composition.alongside, composeItem(item, body, composition.expiresAt)]);
  return composition.mail;
}

/**
 * What is kept (an invitation's `delivery.lastError`) and logged of a failure: its name and code, never its
 * message, which may quote an address or what was sent (architecture.md: error messages are never logged).
 */
export function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return 'Error';
  const { Code, code, $metadata } = error as {
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const id = [Code, code, $metadata?.httpStatusCode].find(
    (value) => typeof value === 'string' || typeof value === 'number',
  );
  return (id === undefined || id === error.name ? error.name : `${error.name} (${id})`).slice(0, 200);
}

export interface Outbox {
  deliver(item: OutboxItem, now?: Date): Promise<Delivery | undefined>;
  deliverNow(item: OutboxItem, now?: Date): Promise<Delivery | undefined>;
  deliverDue(now?: Date, batchSize?: number, budgetMs?: number): Promise<{ sent: number; failed: number }>;
}

/** The sender of the outbox, given the composers of the kinds queued without a body. */
export function outbox(composers: Composers): Outbox {
  /**
   * One attempt at sending `item`. Returns the resulting delivery, or undefined when another sender holds
   * the attempt or nothing is owed any more.
   */
  async function deliver(item: OutboxItem, now = new Date()): Promise<Delivery | undefined> {
    const claimed = await claim(item, now, leaseSeconds);
    if (!claimed) return undefined;
    if (claimed.ttl * 1000 <= now.getTime()) {
      // Its link (or, not composed yet, the request) has expired: sending now would only deliver a dead link.
      const lastError = 'the link expired before the e-mail could be sent';
      await recordAttempt(claimed, { sent: false, error: lastError });
      mailDelivery(claimed.kind, 'failed');
      return { status: 'failed', attempts: claimed.attempts, lastError };
    }
    // The one place every e-mail passes: nothing goes to an address SES reported as bouncing or complaining.
    const suppression = await getSuppression(claimed.to);
    if (suppression) {
      const lastError = 'Suppressed (address_suppressed)';
      await recordAttempt(claimed, { sent: false, error: lastError, suppressed: suppression.reason });
      return { status: deliveryStatusOf(suppression.reason), attempts: claimed.attempts, lastError };
    }
    const composed = claimed.body === undefined ? await compose(composers, claimed, now) : undefined;
    if (claimed.body === undefined && !composed) return undefined;
    try {
      const mail = composed ?? (await openBody(claimed.id, claimed.body as string));
      await sendEmail({ to: claimed.to, outboxId: claimed.id, ...mail });
    } catch (error) {
      const lastError = failureOf(error);
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
  async function deliverNow(item: OutboxItem, now = new Date()): Promise<Delivery | undefined> {
    try {
      return await deliver(item, now);
    } catch (error) {
      // The table, not SES, failed us (SES failures are recorded by deliver); the job will pick the item up.
      logger.error('outbox attempt interrupted', { outboxId: item.id, kind: item.kind, error: failureOf(error) });
      return undefined;
    }
  }

  /**
   * Sends every e-mail whose send is due (the scheduled job): batch after batch while they come full, for
   * at most `budgetMs`, and each item once per run (one the table keeps refusing waits for the next run).
   */
  async function deliverDue(
    now = new Date(),
    batchSize = 25,
    budgetMs = 40_000,
  ): Promise<{ sent: number; failed: number }> {
    const result = { sent: 0, failed: 0 };
    const deadline = Date.now() + budgetMs;
    const seen = new Set<string>();
    while (Date.now() < deadline) {
      const due = await listDue(now, batchSize);
      const fresh = due.filter((id) => !seen.has(id));
      for (const id of fresh) {
        seen.add(id);
        const item = await getOutboxItem(id);
        if (!item) continue;
        const delivery = await deliverNow(item, now);
        if (delivery?.status === 'sent') result.sent++;
        else if (delivery?.status === 'failed') result.failed++;
      }
      if (!fresh.length || due.length < batchSize) break;
    }
    return result;
  }

  return { deliver, deliverNow, deliverDue };
}
