// Every minute: send the e-mails whose retry is due (see shared/mail/outbox.ts for the backoff).
import { deliverDue } from '../../shared/mail/outbox.js';
import { logger } from '../../shared/observability/logger.js';

export async function handler(): Promise<{ sent: number; failed: number }> {
  const result = await deliverDue();
  if (result.sent || result.failed) logger.info('outbox retries', result);
  return result;
}
