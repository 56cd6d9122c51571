// `npm run reports:rebuild`: counts, from their timelines, the tickets opened before the aggregates existed
// (an existing deployment). Each ticket is counted in one transaction that also marks it counted, conditioned
// on its version and on it not being counted yet, so running it twice, stopping it anywhere or tickets
// changing meanwhile never counts a ticket twice; from then on its changes count themselves (report-writes.ts).
import type { TicketEvent } from '../domain/events.js';
import { type ReportedTicket, replayTimeline } from '../domain/reports.js';
import { Unavailable } from '../errors.js';
import { queryEvents } from '../store/events.js';
import {
  getRebuildState,
  markReportedItem,
  putRebuildState,
  type RebuildState,
  reportItem,
  ticketIdsOfMonth,
} from '../store/reports.js';
import { getTicketRecord, nextMonth } from '../store/tickets.js';
import { reportTimeZone } from './report-writes.js';
import { retryLostRaces } from './retry.js';
import { commit, Refused } from './transaction.js';

/** Room in one transaction for a ticket's aggregates, beside the ticket itself. */
const maxAggregatesPerTicket = 99;
const ticketsPerPage = 25;

export type TicketOutcome = 'counted' | 'already' | 'too_many' | 'gone';

async function wholeTimeline(ticketId: string): Promise<TicketEvent[]> {
  const events: TicketEvent[] = [];
  for (;;) {
    const page = await queryEvents(ticketId, events.at(-1)?.id, 100);
    events.push(...page.items);
    if (!page.more) return events;
  }
}

/** Counts one ticket from its timeline, unless it is counted already. */
export async function rebuildTicket(ticketId: string): Promise<TicketOutcome> {
  const lostRace = (error: unknown) =>
    error instanceof Refused && (error.reason === 'stale' || error.reason === 'busy');
  const exhausted = () => new Unavailable(`ticket ${ticketId} (it kept changing)`);
  return retryLostRaces({ lostRace, exhausted }, async () => {
    const ticket = (await getTicketRecord(ticketId)) as ReportedTicket | undefined;
    if (!ticket) return 'gone';
    if (ticket.reported) return 'already';
    const { deltas, stamped } = replayTimeline(reportTimeZone(), ticket, await wholeTimeline(ticketId));
    if (deltas.length > maxAggregatesPerTicket) return 'too_many';
    await commit([
      { item: markReportedItem(ticketId, ticket.version, stamped), reason: 'stale' },
      ...deltas.map((delta) => ({ item: reportItem(delta) })),
    ]);
    return 'counted';
  });
}

/**
 * Walks the tickets month by month from `since` (or from where an earlier run stopped) to `until`, a page of
 * 25 at a time, saving where it is after each page; `progress` hears of each page.
 */
export async function rebuildReports(options: {
  since: string;
  until: string;
  restart?: boolean;
  progress: (state: RebuildState, page: number) => void;
}): Promise<RebuildState> {
  if (options.restart) await putRebuildState(undefined);
  const state: RebuildState = (await getRebuildState()) ?? {
    month: options.since,
    counted: 0,
    already: 0,
    skipped: [],
  };
  while (state.month <= options.until) {
    const { ids, next } = await ticketIdsOfMonth(state.month, state.startKey, ticketsPerPage);
    for (const id of ids) {
      const outcome = await rebuildTicket(id);
      if (outcome === 'counted') state.counted++;
      else if (outcome === 'already') state.already++;
      else if (outcome === 'too_many') state.skipped.push(id);
    }
    if (next) state.startKey = next;
    else {
      state.month = nextMonth(state.month);
      delete state.startKey;
    }
    await putRebuildState(state);
    options.progress(state, ids.length);
  }
  return state;
}
