// `npm run privacy:backfill`: gives the items written before a person's data could be found by their keys the
// index attributes that export and erasure read (events by actor and by granted address, files by uploader,
// invitations by address), and closed tickets their entry in the closed-by-time index the retention job reads.
// Items written since carry them already (store/events.ts, store/attachments.ts, store/invites.ts,
// store/tickets.ts). It walks every ticket month by month (their timelines and files), then every group's and
// the staff's invitations. Bounded (a page of tickets at a time), resumable (each report names the month and
// the last ticket read: `since` and `after` start there) and idempotent (an attribute is written only where it
// is missing), so it is safe to stop, rerun or run while the help desk works.
//
// Outbox items are not walked: nothing lists them but their due index, and those written before this index
// expire with their link (their TTL, at most a few days); until then an erasure does not find them.
import { attachmentIndexOf, attachmentKeys } from '../store/attachments.js';
import { readCounter, ticketNumberCounter } from '../store/counters.js';
import { eventIndexOf, eventKeys, queryEvents } from '../store/events.js';
import { listAllGroups } from '../store/groups.js';
import { inviteKeys, listInvites } from '../store/invites.js';
import { addIndexKeys, type Cursor, putIfAbsent } from '../store/privacy.js';
import { ticketIdsOfMonth } from '../store/reports.js';
import { closedEntryItem, getTicketRecords, monthOf, nextMonth } from '../store/tickets.js';

export interface BackfillProgress {
  /** The month being walked (`yyyy-mm`), and the last ticket read in it. */
  month: string;
  after?: string;
  tickets: number;
  /** Items given their index attributes (or, for closed tickets, their entry) so far. */
  events: number;
  files: number;
  closed: number;
  invites: number;
}

export async function backfillPrivacyIndexes(options: {
  /** The month to start from; default the first ticket's. */
  since?: string;
  /** Start after this ticket of `since`'s month (a report's `after`). */
  after?: string;
  now?: Date;
  pageSize?: number;
  progress(progress: BackfillProgress): void;
}): Promise<BackfillProgress> {
  const until = monthOf((options.now ?? new Date()).toISOString());
  const first = options.since ?? (await readCounter(ticketNumberCounter)).startedAt?.slice(0, 7) ?? until;
  const progress: BackfillProgress = { month: first, tickets: 0, events: 0, files: 0, closed: 0, invites: 0 };
  let cursor: Cursor | undefined = options.after
    ? { pk: `TICKET#${options.after}`, sk: 'TICKET', gsi1pk: `TICKETS#MONTH#${first}`, gsi1sk: options.after }
    : undefined;
  while (progress.month <= until) {
    const { ids, next } = await ticketIdsOfMonth(progress.month, cursor, options.pageSize ?? 25);
    for (const ticket of await getTicketRecords(ids)) {
      let after: string | undefined;
      for (;;) {
        const { items, more } = await queryEvents(ticket.id, after, 100);
        for (const event of items) {
          if (await addIndexKeys(eventKeys.event(ticket.id, event.id), eventIndexOf(event))) progress.events++;
        }
        after = items.at(-1)?.id;
        if (!more || after === undefined) break;
      }
      for (const file of ticket.attachments) {
        if (await addIndexKeys(attachmentKeys.attachment(file.id), attachmentIndexOf(file))) progress.files++;
      }
      if (ticket.status === 'closed' && (await putIfAbsent(closedEntryItem(ticket.id, ticket.updatedAt)))) {
        progress.closed++;
      }
      progress.tickets++;
      progress.after = ticket.id;
    }
    cursor = next;
    if (!next) {
      progress.month = nextMonth(progress.month);
      progress.after = undefined;
    }
    options.progress({ ...progress });
  }
  await backfillInvites(progress);
  options.progress({ ...progress });
  return progress;
}

/** Every group's invitations, and the staff's. */
async function backfillInvites(progress: BackfillProgress): Promise<void> {
  const scopes: (string | null)[] = [null];
  let startKey: Cursor | undefined;
  do {
    const page = await listAllGroups(100, startKey);
    scopes.push(...page.items.map((group) => group.id));
    startKey = page.lastKey;
  } while (startKey);
  for (const scope of scopes) {
    for (const invite of await listInvites(scope)) {
      const to = inviteKeys.to(invite.email);
      if (await addIndexKeys(inviteKeys.invite(invite.id), { gsi2pk: to.pk, gsi2sk: invite.id })) progress.invites++;
    }
  }
}
