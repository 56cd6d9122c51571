// What an erasure and the retention policy change on a ticket: its own item (texts, requester, files' names,
// followers), its search words, its opening event, a rating's kept comment. Every change is planned by a
// pure function (domain/privacy.ts) and written only when it changes something, at the version read, so a
// rerun changes nothing and a concurrent change to the ticket is never overwritten with stale fields.
import type { TicketEvent } from '../domain/events.js';
import { erasedActor, erasedEventData } from '../domain/privacy.js';
import { dayIn } from '../domain/reports.js';
import type { TicketRecord } from '../domain/tickets.js';
import { batchDelete, conditionFailed, transact, transactionConflict } from '../store/dynamo.js';
import { eventKeys, queryEvents } from '../store/events.js';
import { deleteItem, eraseEventItem } from '../store/privacy.js';
import { reportKeys } from '../store/reports.js';
import { getTicketRecord, putTicketItem, ticketKeys } from '../store/tickets.js';
import { reportTimeZone } from '../tickets/report-writes.js';

const attempts = 5;

/**
 * Writes `plan(record)` in place of the ticket when it differs, deleting the search words it drops first
 * (so a run stopped in between still finds them on the ticket next time); true when it changed anything.
 */
export async function rewriteTicket(ticketId: string, plan: (record: TicketRecord) => TicketRecord): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const record = await getTicketRecord(ticketId);
    if (!record) return false;
    const next = plan(record);
    if (JSON.stringify(next) === JSON.stringify(record)) return false;
    const dropped = record.words.filter((word) => !next.words.includes(word));
    await batchDelete(dropped.map((word) => ticketKeys.word(ticketId, word)));
    try {
      await transact([putTicketItem({ ...next, version: record.version + 1 }, record.version)]);
      return true;
    } catch (error) {
      if ((!conditionFailed(error) && !transactionConflict(error)) || attempt === attempts) throw error;
    }
  }
}

/**
 * The ticket's opening event without its texts (subject, description, files' names): when someone opened
 * it on the requester's behalf, that event is theirs, not the requester's. `anonymous` also drops the
 * actor's name.
 */
export async function eraseOpeningEvent(ticketId: string, now: Date, anonymous = false): Promise<boolean> {
  const [first] = (await queryEvents(ticketId, undefined, 1)).items;
  if (first?.type !== 'created') return false;
  return eraseEventItem(
    eventKeys.event(ticketId, first.id),
    anonymous ? erasedActor(first.actor) : first.actor,
    erasedEventData(first),
    now,
  );
}

/** A rating's comment as the reports' latest comments keep it. */
export async function eraseReportComment(event: TicketEvent): Promise<void> {
  if (event.type !== 'satisfaction') return;
  await deleteItem(reportKeys.comment(dayIn(reportTimeZone(), event.createdAt), event.id));
}
