// Sending reply notifications: when a person's batch on a ticket is due (shared/store/notifications.ts), what
// they are still owed — told to them by the rule (shared/domain/notifications.ts), not seen live — goes out
// as one e-mail through the outbox, which retries it until SES takes it. The batch is closed in the same
// transaction that queues the e-mail, so a batch is e-mailed once, and a change that arrives meanwhile
// keeps it open for the next run. Nothing goes to a disabled person, to someone who turned e-mail off, or
// to someone who can no longer see the ticket.
import { config } from '../config.js';
import { owedEvents } from '../domain/notifications.js';
import { whyNotRatable } from '../domain/satisfaction.js';
import { canSeeTicket } from '../domain/tickets.js';
import { principalOf, receivesEmail } from '../domain/users.js';
import { logger } from '../observability/logger.js';
import { conditionFailed, transact } from '../store/dynamo.js';
import { queryEvents } from '../store/events.js';
import { closeBatchItem, dropBatch, getBatch, listDueBatches, type NotificationBatch } from '../store/notifications.js';
import { getTicketRecord } from '../store/tickets.js';
import { getUser, listGroupsOfUser } from '../store/users.js';
import { outbox, queueEmail } from './outbox.js';
import { ratingLinks } from './rating-links.js';
import { type NotificationEntry, notificationMail, type RenderedMail, ticketLink } from './templates.js';
import { unsubscribeUrl } from './unsubscribe.js';

/** Events read for one e-mail; a batch window rarely holds more, and the link shows the rest. */
const maxEventsPerMail = 100;
/** How long a queued notification may wait for SES: long enough for the outbox's two hours of retries. */
const notificationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

// Notifications are queued with their body: the outbox needs no composer for them.
const sender = outbox({});

/** A due batch e-mailed (queued, and its first send tried), closed with nothing owed, or left open. */
type Outcome = 'queued' | 'dropped' | 'open';

/** The e-mail `batch` owes its person, or undefined when it owes nothing (any more). */
async function compose(batch: NotificationBatch, now: Date): Promise<(RenderedMail & { to: string }) | undefined> {
  const [ticket, user] = await Promise.all([getTicketRecord(batch.ticketId), getUser(batch.userId)]);
  if (!ticket || !user || !receivesEmail(user)) return undefined;
  if (!canSeeTicket(principalOf(user, await listGroupsOfUser(user.id)), ticket)) return undefined;
  const { items } = await queryEvents(ticket.id, batch.afterEventId, maxEventsPerMail);
  const inBatch = items.filter((event) => event.id <= batch.lastEventId);
  const owed = owedEvents(ticket, user.id, inBatch, batch.seen);
  const entries = owed.flatMap((event): NotificationEntry[] => {
    if (event.type === 'message') return [{ kind: 'message', author: event.actor.name, body: event.data.body }];
    if (event.type === 'status_changed' && (event.data.to === 'pending_customer' || event.data.to === 'resolved')) {
      return [{ kind: 'status', author: event.actor.name, status: event.data.to }];
    }
    return [];
  });
  if (entries.length === 0) return undefined;
  // The requester's e-mail about a resolution carries the five one-click ratings, while the ticket is still
  // resolved and within its rating window (api.md "Satisfaction"); followers' e-mails do not.
  const rateable =
    user.id === ticket.requesterId &&
    entries.some((entry) => entry.kind === 'status' && entry.status === 'resolved') &&
    whyNotRatable(ticket, now) === undefined;
  const mail = notificationMail({
    locale: user.locale,
    name: user.name,
    ticket: { number: ticket.number, subject: ticket.subject },
    entries,
    link: ticketLink(config.webUrl, ticket.id),
    unsubscribeUrl: await unsubscribeUrl(user.id),
    ...(rateable ? { ratings: await ratingLinks(ticket) } : {}),
  });
  return { ...mail, to: user.email };
}

/** Closes one due batch: queued, dropped with nothing owed, or left open because it grew meanwhile. */
async function closeDue(pair: { ticketId: string; userId: string }, now: Date): Promise<Outcome> {
  const batch = await getBatch(pair.ticketId, pair.userId);
  if (!batch || batch.dueAt > now.toISOString()) return 'open';
  const mail = await compose(batch, now);
  if (!mail) return (await dropBatch(batch)) ? 'dropped' : 'open';
  const queued = await queueEmail('notification', mail, {
    now,
    expiresAt: new Date(now.getTime() + notificationLifetimeMs),
  });
  try {
    await transact([closeBatchItem(batch), queued.write]);
  } catch (error) {
    // An event joined the batch after it was read: the next run e-mails it with that event.
    if (conditionFailed(error, 0)) return 'open';
    throw error;
  }
  await sender.deliverNow(queued.item, now);
  return 'queued';
}

/**
 * E-mails every batch whose window has ended (the scheduled job, beside the outbox's retries): batch after
 * batch of them while they come full, for at most `budgetMs`, each once per run.
 */
export async function sendDueNotifications(
  now = new Date(),
  batchSize = 25,
  budgetMs = 20_000,
): Promise<Record<Outcome, number>> {
  const result: Record<Outcome, number> = { queued: 0, dropped: 0, open: 0 };
  const deadline = Date.now() + budgetMs;
  const done = new Set<string>();
  while (Date.now() < deadline) {
    const due = await listDueBatches(now, batchSize);
    const fresh = due.filter((pair) => !done.has(`${pair.ticketId}#${pair.userId}`));
    for (const pair of fresh) {
      done.add(`${pair.ticketId}#${pair.userId}`);
      try {
        const outcome = await closeDue(pair, now);
        // Ids only: what became of each person's batch, for whoever asks why an e-mail did or did not come.
        logger.info('notification batch', { ...pair, outcome });
        result[outcome]++;
      } catch (error) {
        // This batch stays due; the next run tries again, and the others go out meanwhile.
        logger.error('notification failed', { ...pair, error: error as Error });
        result.open++;
      }
    }
    if (!fresh.length || due.length < batchSize) break;
  }
  return result;
}
