// `npm run tickets:backfill`: marks every person who has asked for a ticket outside any group (the OWN#UNGROUPED
// item, store/users.ts), so that their ticket list keeps reading their own partition beside their groups'
// (store/search.ts). Tickets opened since the marker existed write it themselves (tickets/create.ts); this walks
// the ones opened before. Bounded (a page of tickets, then one batch of markers), resumable (each page reports
// the last ticket read, and `after` starts past it) and idempotent (a marker put twice is the same item), so it
// is safe to stop, rerun or run while the help desk works.
import { decodeTime } from 'ulid';
import { readCounter, ticketNumberCounter } from '../store/counters.js';
import { monthOf, nextMonth, ticketsOfMonth } from '../store/tickets.js';
import { putUngroupedTicketsMarkers } from '../store/users.js';

export interface BackfillProgress {
  month: string;
  /** Tickets read and people marked so far. */
  read: number;
  marked: number;
  /** The last ticket read: pass it as `after` to go on from here. */
  last?: string;
}

/** Walks every ticket, oldest first, from after the ticket `after` (or the first ticket ever) to `now`. */
export async function backfillUngroupedMarkers(options: {
  after?: string;
  now?: Date;
  pageSize?: number;
  progress(progress: BackfillProgress): void;
}): Promise<BackfillProgress> {
  const pageSize = options.pageSize ?? 100;
  const until = monthOf((options.now ?? new Date()).toISOString());
  // A ticket's id is a ULID of the time it was opened, which is also its month's (tickets/create.ts).
  const first =
    options.after !== undefined
      ? monthOf(new Date(decodeTime(options.after)).toISOString())
      : (await readCounter(ticketNumberCounter)).startedAt;
  const progress: BackfillProgress = { month: first ? monthOf(first) : until, read: 0, marked: 0, last: options.after };
  if (!first) return progress;
  while (progress.month <= until) {
    const { tickets, more } = await ticketsOfMonth(progress.month, progress.last, pageSize);
    const requesters = tickets.filter((ticket) => ticket.groupId === undefined).map((ticket) => ticket.requesterId);
    await putUngroupedTicketsMarkers(requesters);
    progress.read += tickets.length;
    progress.marked += new Set(requesters).size;
    if (more) progress.last = tickets.at(-1)?.id ?? progress.last;
    else {
      if (tickets.length > 0) progress.last = tickets.at(-1)?.id;
      progress.month = nextMonth(progress.month);
      // Ids of the next month are above every id of this one; `after` is an exclusive bound, so it still holds.
    }
    options.progress({ ...progress });
  }
  return progress;
}
