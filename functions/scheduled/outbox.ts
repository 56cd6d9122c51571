// Every minute: e-mail the reply notifications whose batch window ended, then send the e-mails that are due —
// retries (shared/mail/outbox.ts has the backoff) and every password-reset e-mail, which a reset request only
// queues so that its answer tells nothing about the account.
import { deliverDue } from '../../shared/auth/outbox.js';
import { sendDueNotifications } from '../../shared/mail/notifications.js';
import { logger } from '../../shared/observability/logger.js';

export async function handler(): Promise<{ sent: number; failed: number }> {
  await sendDueNotifications();
  const result = await deliverDue();
  if (result.sent || result.failed) logger.info('outbox retries', result);
  return result;
}
