// The manager's summary (GET /reports/summary): read from the daily aggregates the ticket changes keep
// (shared/tickets/report-writes.ts), never from the tickets themselves. A year is one Query of one or two
// partitions (shared/store/reports.ts).
import { type Summary, type SummaryInput, summarize } from '../domain/reports.js';
import { queryAggregates } from '../store/reports.js';

export async function reportSummary(input: SummaryInput): Promise<Summary> {
  return summarize(input, await queryAggregates(input.from, input.to));
}
