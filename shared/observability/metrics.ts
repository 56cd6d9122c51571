// Business metrics in CloudWatch's Embedded Metric Format: Powertools Metrics prints each one as a JSON
// line on stdout, and CloudWatch Logs turns that line into a metric in the POWERTOOLS_METRICS_NAMESPACE
// namespace (Atende/<stage>), with no API call. Every metric is published the moment it happens (a
// single metric), so no handler needs a flush hook and a failing request loses nothing it counted.
// Metrics never fail a request: what cannot be published is a warning.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SlaTarget } from '../domain/events.js';
import type { LimitName } from '../domain/limits.js';
import { isAgent, type Principal } from '../domain/roles.js';
import type { Channel, TicketRecord } from '../domain/tickets.js';
import { claimFirstResponse } from '../store/first-responses.js';
import type { OutboxItem } from '../store/outbox.js';
import { logger } from './logger.js';

/** Every metric Atende publishes; the stack's alarms and dashboard read the same names. */
export const metricNames = {
  ticketCreated: 'TicketCreated',
  messagePosted: 'MessagePosted',
  firstResponseMs: 'FirstResponseMs',
  slaBreached: 'SlaBreached',
  invitationSent: 'InvitationSent',
  invitationFailed: 'InvitationFailed',
  passwordResetSent: 'PasswordResetSent',
  passwordResetFailed: 'PasswordResetFailed',
  autoReplySent: 'AutoReplySent',
  autoReplyFailed: 'AutoReplyFailed',
  rateLimited: 'RateLimited',
  notificationSent: 'NotificationSent',
  notificationFailed: 'NotificationFailed',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];

/** Powertools adds `service` to every metric: the dimensions of a metric are `service` plus these. */
export const metricService = 'atende';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

function publish(name: MetricName, unit: Unit, value: number, dimensions: Record<string, string> = {}): void {
  try {
    const metric = new Metrics({ serviceName: metricService, singleMetric: true, logger });
    for (const [key, dimension] of Object.entries(dimensions)) metric.addDimension(key, dimension);
    metric.addMetric(name, unit, value);
  } catch (error) {
    logger.warn('metric not published', { metric: name, error: error as Error });
  }
}

/** A request was refused (or a reset e-mail or `typing` frame dropped) by the limit `limit` (shared/limits/limiter.ts). */
export function rateLimited(limit: LimitName): void {
  publish(metricNames.rateLimited, MetricUnit.Count, 1, { limit });
}

/** A ticket was opened (not an idempotent replay), on the portal or by starting a chat. */
export function ticketCreated(channel: Channel): void {
  publish(metricNames.ticketCreated, MetricUnit.Count, 1, { channel });
}

/**
 * A message was added to a ticket's timeline. The first one by an agent or admin also publishes how long
 * the requester waited for it (FirstResponseMs, from the ticket's creation to the answer).
 */
export async function messagePosted(
  principal: Principal,
  ticket: Pick<TicketRecord, 'id' | 'channel' | 'createdAt'>,
  message: { createdAt: string },
): Promise<void> {
  publish(metricNames.messagePosted, MetricUnit.Count, 1, { channel: ticket.channel });
  if (!isAgent(principal)) return;
  try {
    if (!(await claimFirstResponse(ticket.id, { userId: principal.userId, at: message.createdAt }))) return;
  } catch (error) {
    logger.warn('first response not recorded', { ticketId: ticket.id, error: error as Error });
    return;
  }
  const waitedMs = Date.parse(message.createdAt) - Date.parse(ticket.createdAt);
  publish(metricNames.firstResponseMs, MetricUnit.Milliseconds, Math.max(0, waitedMs), { channel: ticket.channel });
}

/** A ticket missed an SLA target (the job recorded its `sla_breached` event). */
export function slaBreached(target: SlaTarget): void {
  publish(metricNames.slaBreached, MetricUnit.Count, 1, { target });
}

const deliveryMetrics: Record<OutboxItem['kind'], Record<'sent' | 'failed', MetricName>> = {
  invite: { sent: metricNames.invitationSent, failed: metricNames.invitationFailed },
  password_reset: { sent: metricNames.passwordResetSent, failed: metricNames.passwordResetFailed },
  auto_reply: { sent: metricNames.autoReplySent, failed: metricNames.autoReplyFailed },
  notification: { sent: metricNames.notificationSent, failed: metricNames.notificationFailed },
};

/** One attempt at sending an e-mail of the outbox ended; a failed attempt is counted each time it fails. */
export function mailDelivery(kind: OutboxItem['kind'], status: 'sent' | 'failed'): void {
  publish(deliveryMetrics[kind][status], MetricUnit.Count, 1);
}
