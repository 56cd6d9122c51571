import { SummaryQuery, summaryCsv } from '../../../shared/domain/reports.js';
import { reportReaders } from '../../../shared/domain/roles.js';
import { httpHandler, ok, okText } from '../../../shared/http/handler.js';
import { reportSummary } from '../../../shared/tickets/reports.js';

export const handler = httpHandler({
  action: 'report.summary',
  roles: reportReaders,
  query: SummaryQuery,
  async run({ query, headers }) {
    const summary = await reportSummary(query);
    if (/\btext\/csv\b/i.test(headers.accept ?? '')) return okText(summaryCsv(summary), 'text/csv; charset=utf-8');
    return ok(summary);
  },
});
