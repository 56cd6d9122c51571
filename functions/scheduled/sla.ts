// Every minute, the help desk's clockwork: record the SLA targets tickets missed since the last run
// (shared/tickets/sla.ts), and hand out the chats that wait to agents who became available without saying
// so, by connecting (shared/tickets/assignment.ts).
import { logger } from '../../shared/observability/logger.js';
import { assignWaitingTickets } from '../../shared/tickets/assignment.js';
import { recordMissedTargets } from '../../shared/tickets/sla.js';

export async function handler(): Promise<{ checked: number; breached: number; assigned: number }> {
  const result = { ...(await recordMissedTargets()), assigned: await assignWaitingTickets() };
  if (result.breached || result.assigned) logger.info('sla breaches recorded and waiting tickets handed out', result);
  return result;
}
