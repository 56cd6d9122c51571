// SES's bounce and complaint events, as the deployment's configuration set publishes them to EventBridge
// (detail-type "Email Bounced" / "Email Complained", `detail` the SES event record), and the admin's list of
// the addresses they suppressed. The outbox (shared/mail/outbox.ts) checks that list before every send.
//
// Only a permanent bounce suppresses: a transient one (mailbox full, greylisting) is SES retrying for us,
// and suppressing on it would cut people off for a passing problem. Every complaint suppresses.
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Suppression, SuppressionReason } from '../domain/suppressions.js';
import { NotFound } from '../errors.js';
import { logger } from '../observability/logger.js';
import { reportDelivery } from '../store/outbox.js';
import { deleteSuppression, listSuppressionsPage, putSuppression } from '../store/suppressions.js';
import * as z from '../zod.js';
import { outboxTag } from './send.js';

const Recipients = z.array(z.looseObject({ emailAddress: z.string().check(z.maxLength(320)) })).check(z.maxLength(100));

/** The parts of SES's event record Atende reads; anything else in it is ignored. */
const SesEventDetail = z.looseObject({
  eventType: z.string(),
  mail: z.looseObject({
    messageId: z.optional(z.string()),
    tags: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
  bounce: z.optional(
    z.looseObject({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: Recipients,
      timestamp: z.optional(z.string()),
    }),
  ),
  complaint: z.optional(z.looseObject({ complainedRecipients: Recipients, timestamp: z.optional(z.string()) })),
});

export interface MailEvent {
  'detail-type'?: string;
  time?: string;
  detail?: unknown;
}

/** What one event suppressed: the addresses, and why. */
export interface EventOutcome {
  reason?: SuppressionReason;
  emails: string[];
}

/** Suppresses the addresses an SES event reports, and marks the invitation the e-mail carried (by its outbox tag). */
export async function recordMailEvent(event: MailEvent, now = new Date()): Promise<EventOutcome> {
  const parsed = SesEventDetail.safeParse(event.detail);
  if (!parsed.success) {
    logger.warn('mail event not understood', { detailType: event['detail-type'] });
    return { emails: [] };
  }
  const detail = parsed.data;
  let reason: SuppressionReason | undefined;
  let recipients: { emailAddress: string }[] = [];
  let explanation = '';
  if (detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent') {
    reason = 'bounce';
    recipients = detail.bounce.bouncedRecipients;
    explanation = `the receiving server refused the e-mail (${detail.bounce.bounceSubType ?? 'General'} bounce)`;
  } else if (detail.eventType === 'Complaint' && detail.complaint) {
    reason = 'complaint';
    recipients = detail.complaint.complainedRecipients;
    explanation = 'the recipient marked the e-mail as spam';
  }
  if (!reason) return { emails: [] };
  const at = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time) : now;
  const emails = [...new Set(recipients.map((r) => bareAddress(r.emailAddress)).filter((e) => e !== ''))];
  for (const email of emails) await putSuppression({ email, reason, at: at.toISOString() });
  const outboxId = detail.mail.tags?.[outboxTag]?.[0];
  if (outboxId) await reportDelivery(outboxId, reason, explanation);
  logger.info('mail suppressed', { reason, count: emails.length, outboxId });
  return { reason, emails };
}

/** `"Ana" <ana@example.com>` or `ana@example.com` → `ana@example.com`, lower-cased. */
function bareAddress(value: string): string {
  return (/<([^>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
}

export async function listSuppressions(query: {
  cursor?: string;
  limit: number;
}): Promise<{ items: Suppression[]; nextCursor: string | null }> {
  const context = 'suppressions';
  const startKey = query.cursor ? await decodeCursor(query.cursor, context, StartKey) : undefined;
  const page = await listSuppressionsPage(query.limit, startKey);
  return { items: page.items, nextCursor: page.lastKey ? await encodeCursor(page.lastKey, context) : null };
}

const StartKey = z.record(z.string(), z.string());

/** Lets Atende write to the address again; 404 when it was not suppressed. */
export async function clearSuppression(email: string): Promise<void> {
  if (!(await deleteSuppression(email))) throw new NotFound('suppression');
}
