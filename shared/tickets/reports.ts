// The manager's summary (GET /reports/summary): read from the daily aggregates the ticket changes keep
// (shared/tickets/report-writes.ts), never from the tickets themselves. A year is one Query of one or two
// partitions (shared/store/reports.ts).
import { type RatingComment, type Summary, type SummaryInput, summarize } from '../domain/reports.js';
import { latestComments, queryAggregates } from '../store/reports.js';

export async function reportSummary(input: SummaryInput): Promise<Summary> {
  return summarize(input, await queryAggregates(input.from, input.to));
}

/** How many of the period's latest comments the dashboard shows. */
export const latestCommentsShown = 20;

/** The latest comments of ratings made in the period (newest first), for the dashboard. */
export async function reportComments(input: Pick<SummaryInput, 'from' | 'to'>): Promise<RatingComment[]> {
  return latestComments(input.from, input.to, latestCommentsShown);
}
