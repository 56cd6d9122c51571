import { SummaryPeriod } from '../../../shared/domain/reports.js';
import { reportReaders } from '../../../shared/domain/roles.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { reportComments } from '../../../shared/tickets/reports.js';

export const handler = httpHandler({
  action: 'report.comments',
  roles: reportReaders,
  query: SummaryPeriod,
  async run({ query }) {
    return ok({ items: await reportComments(query) });
  },
});
