// The retention policy (api.md, "A person's data (LGPD)"): an admin sets after how many days closed tickets
// are anonymized, and a scheduled job anonymizes those closed longer than that, found through the index of
// closed tickets by closing time (shared/store/tickets.ts), a page at a time. A ticket leaves that index
// once anonymized, so a run that stops is resumed by the next, which redoes nothing.
import {
  anonymizeClosedBefore,
  anonymizedTicket,
  erasedActor,
  erasedEventData,
  type RetentionPolicy,
} from '../domain/privacy.js';
import { isStaffRole, type Principal } from '../domain/roles.js';
import { Forbidden } from '../errors.js';
import { logger } from '../observability/logger.js';
import { attachmentKeys, deleteFileEverywhere } from '../store/attachments.js';
import { eventKeys, queryEvents } from '../store/events.js';
import {
  closedTicketsBefore,
  deleteItem,
  eraseEventItem,
  getRetentionPolicy,
  putRetentionPolicy,
} from '../store/privacy.js';
import { getTicketRecord, ticketKeys } from '../store/tickets.js';
import { eraseReportComment, rewriteTicket } from './tickets.js';

export async function readRetentionPolicy(principal: Principal): Promise<RetentionPolicy> {
  if (principal.role !== 'admin' && principal.role !== 'auditor') throw new Forbidden();
  return getRetentionPolicy();
}

export async function setRetentionPolicy(
  principal: Principal,
  policy: RetentionPolicy,
  now = new Date(),
): Promise<RetentionPolicy> {
  if (principal.role !== 'admin') throw new Forbidden();
  await putRetentionPolicy(policy, principal.userId, now);
  return policy;
}

/**
 * Anonymizes one ticket: every event's words and files' names (customers' names too: staff keep theirs),
 * its files themselves, its own texts, requester and search words; then it leaves the closed index.
 */
export async function anonymizeTicket(ticketId: string, now: Date): Promise<void> {
  const record = await getTicketRecord(ticketId);
  if (!record) return;
  let after: string | undefined;
  for (;;) {
    const { items, more } = await queryEvents(ticketId, after, 100);
    for (const event of items) {
      const actor = isStaffRole(event.actor.role) ? event.actor : erasedActor(event.actor);
      await eraseEventItem(eventKeys.event(ticketId, event.id), actor, erasedEventData(event), now);
      await eraseReportComment(event);
    }
    after = items[items.length - 1]?.id;
    if (!more || after === undefined) break;
  }
  for (const file of record.attachments) {
    await deleteFileEverywhere(file.id);
    await deleteItem(attachmentKeys.attachment(file.id));
  }
  await rewriteTicket(ticketId, anonymizedTicket);
  await deleteItem(ticketKeys.closedEntry(ticketId));
}

/** One run of the scheduled job: tickets due under the policy, for at most `budgetMs`. */
export async function anonymizeExpiredTickets(
  options: { budgetMs?: number; now?: Date } = {},
): Promise<{ anonymized: number }> {
  const now = options.now ?? new Date();
  const before = anonymizeClosedBefore(await getRetentionPolicy(), now);
  if (before === undefined) return { anonymized: 0 };
  const deadline = Date.now() + (options.budgetMs ?? 40_000);
  let anonymized = 0;
  // The index lags the table: a ticket just anonymized may be listed again for a moment.
  const done = new Set<string>();
  while (Date.now() < deadline) {
    const due = (await closedTicketsBefore(before)).filter((ticketId) => !done.has(ticketId));
    if (due.length === 0) break;
    for (const ticketId of due) {
      await anonymizeTicket(ticketId, now);
      done.add(ticketId);
      anonymized++;
    }
  }
  if (anonymized > 0) logger.info('closed tickets anonymized', { anonymized, closedBefore: before });
  return { anonymized };
}
