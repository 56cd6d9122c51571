// Every minute: record the SLA targets tickets missed since the last run (shared/tickets/sla.ts).
import { logger } from '../../shared/observability/logger.js';
import { recordMissedTargets } from '../../shared/tickets/sla.js';

export async function handler(): Promise<{ checked: number; breached: number }> {
  const result = await recordMissedTargets();
  if (result.breached) logger.info('sla breaches recorded', result);
  return result;
}
