// What a ticket change adds to the reports' daily aggregates, as items of the change's own transaction
// (shared/tickets/transaction.ts, shared/tickets/create.ts), so that a figure is counted exactly once: with
// the change, or not at all when the change is refused.
import type { TicketEvent } from '../domain/events.js';
import { defaultReportTimeZone, type ReportedTicket, reportDeltas } from '../domain/reports.js';
import { reportItem } from '../store/reports.js';

/**
 * The days of the reports are those of the SLA calendar's time zone. The SLA policy is not stored yet, so
 * this is its default zone; when it is, this reads the policy's `calendar.timeZone`.
 */
export const reportTimeZone = (): string => defaultReportTimeZone;

/**
 * At most four aggregates change with one ticket change (created, first response, resolution, a rating
 * and the one it replaces), well within DynamoDB's 100 items per transaction. A ticket opened before the
 * aggregates existed adds nothing until the rebuild has counted its timeline (ReportedTicket.reported,
 * shared/tickets/report-rebuild.ts).
 */
export const reportWrites = (
  before: ReportedTicket | undefined,
  after: ReportedTicket,
  events: readonly TicketEvent[],
) =>
  before && !before.reported
    ? []
    : reportDeltas(reportTimeZone(), before, after, events).map((delta) => ({ item: reportItem(delta) }));
