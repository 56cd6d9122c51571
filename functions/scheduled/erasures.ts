// Every minute: erasures asked for, a bounded stretch of each (shared/privacy/erasure.ts).
import { logger } from '../../shared/observability/logger.js';
import { runErasures } from '../../shared/privacy/erasure.js';

export async function handler(): Promise<{ finished: number; pages: number }> {
  const result = await runErasures();
  if (result.pages) logger.info('erasures worked on', result);
  return result;
}
