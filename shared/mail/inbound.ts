// The retired support mailbox (api.md, "Notifications and the retired mailbox"): SES's receipt rule stores
// each message received at the support address in S3 and hands this module the receipt event. The answer is
// one automatic reply per sender per 24 hours pointing to the portal and the chat, never to anything that
// is itself automatic (RFC 3834), and sent through the outbox. Only the event's headers are read, never the
// message itself, so a message of any size costs the same.
import { config } from '../config.js';
import { Email } from '../domain/users.js';
import { logger, logRequest } from '../observability/logger.js';
import { autoReplyItem } from '../store/auto-replies.js';
import { conditionFailed, transact } from '../store/dynamo.js';
import { findUserByEmail } from '../store/users.js';
import * as z from '../zod.js';
import { outbox, queueEmail } from './outbox.js';
import { autoReplyMail } from './templates.js';

/** One reply per sender in this many seconds. */
export const autoReplyWindowSeconds = 24 * 60 * 60;
/** Long enough for the outbox's retries (about two hours); the reply carries no link that expires. */
const replyLifetimeSeconds = 2 * 24 * 60 * 60;

const Header = z.looseObject({ name: z.string(), value: z.string() });

/** The parts of SES's receipt event (`Records[].ses`) this module reads. */
const ReceiptRecord = z.looseObject({
  ses: z.looseObject({
    mail: z.looseObject({
      messageId: z.string(),
      source: z.string(),
      headers: z._default(z.array(Header), []),
      commonHeaders: z._default(
        z.looseObject({
          from: z.optional(z.array(z.string())),
          subject: z.optional(z.string()),
          messageId: z.optional(z.string()),
        }),
        {},
      ),
    }),
  }),
});
const ReceiptEvent = z.looseObject({ Records: z.array(z.unknown()) });

export type ReceivedMail = z.output<typeof ReceiptRecord>['ses']['mail'];

/** Why a message gets no automatic reply, or undefined when it gets one. */
export type Silence = 'automatic' | 'no_sender' | 'own_address' | 'answered_today';

const header = (mail: ReceivedMail, name: string): string | undefined =>
  mail.headers.find((h) => h.name.toLowerCase() === name)?.value.trim();

/** `"Ana" <ana@example.com>` → `ana@example.com`; lower-cased. */
export const bareAddress = (value: string): string => (/<([^<>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();

/** The deployment's own addresses: its sender and the support address. Mail from them would start a loop. */
function ownAddresses(): string[] {
  return [config.mailFrom, config.supportAddress].flatMap((a) => (a ? [bareAddress(a)] : []));
}

/** RFC 3834's "do not reply" signals, and the senders that are never a person. */
export function silenceOf(mail: ReceivedMail, own: readonly string[]): Exclude<Silence, 'answered_today'> | undefined {
  const sender = bareAddress(mail.source);
  if (sender === '' || !Email.safeParse(sender).success) return 'no_sender';
  const localPart = sender.split('@')[0] ?? '';
  if (localPart === 'mailer-daemon' || localPart === 'postmaster') return 'no_sender';
  const from = (mail.commonHeaders.from ?? []).map(bareAddress);
  if ([sender, ...from].some((a) => own.includes(a))) return 'own_address';
  const autoSubmitted = header(mail, 'auto-submitted')?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return 'automatic';
  if (/^(bulk|list|junk)$/i.test(header(mail, 'precedence') ?? '')) return 'automatic';
  if (header(mail, 'list-id') !== undefined) return 'automatic';
  // Exchange's way of saying the same (e.g. out-of-office notices carry `All`).
  if (/\b(all|autoreply|oof)\b/i.test(header(mail, 'x-auto-response-suppress') ?? '')) return 'automatic';
  return undefined;
}

/** `<id@host>` when the original carried a usable Message-ID (anything else could break the reply's header). */
function messageIdOf(mail: ReceivedMail): string | undefined {
  const raw = (mail.commonHeaders.messageId ?? header(mail, 'message-id') ?? '').trim();
  const id = raw.startsWith('<') ? raw : `<${raw}>`;
  return /^<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>$/.test(id) ? id : undefined;
}

/** Queues (and tries at once) the automatic reply to `mail`, unless it is owed none. */
export async function answerMail(mail: ReceivedMail, now = new Date()): Promise<Silence | 'replied'> {
  const silence = silenceOf(mail, ownAddresses());
  if (silence) return silence;
  const sender = bareAddress(mail.source);
  const account = await findUserByEmail(sender);
  const rendered = autoReplyMail({
    subject: mail.commonHeaders.subject ?? '',
    supportAddress: config.supportAddress ?? bareAddress(config.mailFrom),
    webUrl: config.webUrl,
    accountName: account && account.role !== 'platform_user' && account.role !== 'auditor' ? account.name : undefined,
  });
  const original = messageIdOf(mail);
  const headers = [
    { name: 'Auto-Submitted', value: 'auto-replied' },
    ...(original
      ? [
          { name: 'In-Reply-To', value: original },
          { name: 'References', value: original },
        ]
      : []),
  ];
  const email = await queueEmail(
    'auto_reply',
    { to: sender, ...rendered, headers },
    { now, expiresAt: new Date(now.getTime() + replyLifetimeSeconds * 1000) },
  );
  try {
    await transact([autoReplyItem(sender, now, autoReplyWindowSeconds), email.write]);
  } catch (error) {
    if (conditionFailed(error, 0)) return 'answered_today';
    throw error;
  }
  // An auto-reply is queued with its body: no composer is needed to send it.
  await outbox({}).deliverNow(email.item, now);
  return 'replied';
}

/**
 * The receipt rule's Lambda action: every message answered (or not) and one request-log line for it, naming
 * nothing of the sender but the domain. A failure is logged and thrown, so Lambda retries the event; the
 * reply is written once whatever the retries, since its transaction refuses a second reply the same day.
 */
export async function receiveMail(
  event: unknown,
  context: { awsRequestId: string; functionName: string },
): Promise<void> {
  const records = ReceiptEvent.safeParse(event);
  for (const raw of records.success ? records.data.Records : [event]) {
    const started = Date.now();
    const parsed = ReceiptRecord.safeParse(raw);
    const mail = parsed.success ? parsed.data.ses.mail : undefined;
    const line = {
      requestId: mail?.messageId ?? context.awsRequestId,
      lambdaRequestId: context.awsRequestId,
      functionName: context.functionName,
      route: 'ses inbound',
      action: 'mail.inbound',
      resource: { type: 'sender_domain', id: mail ? (bareAddress(mail.source).split('@')[1] ?? '') : undefined },
    };
    if (!mail) {
      logger.warn('inbound mail event not understood');
      logRequest({ ...line, status: 400, errorCode: 'validation_failed', latencyMs: Date.now() - started });
      continue;
    }
    try {
      const outcome = await answerMail(mail);
      if (outcome !== 'replied') logger.info('inbound mail not answered', { messageId: mail.messageId, why: outcome });
      // 202: a reply is on its way; 204: nothing is sent back.
      logRequest({ ...line, status: outcome === 'replied' ? 202 : 204, latencyMs: Date.now() - started });
    } catch (error) {
      logRequest({ ...line, status: 500, errorCode: 'internal', latencyMs: Date.now() - started });
      throw error;
    }
  }
}
