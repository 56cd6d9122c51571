// SES's bounce and complaint events for every e-mail Atende sends (the configuration set publishes them
// to EventBridge; a rule sends them here). Locally infra/local/ses-events.ts sends the same events for the
// mailbox simulator's addresses.
import { type EventOutcome, type MailEvent, recordMailEvent } from '../../shared/mail/suppressions.js';

export async function handler(event: MailEvent): Promise<EventOutcome> {
  return recordMailEvent(event);
}
