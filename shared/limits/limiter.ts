// Applies the limits of domain/limits.ts: every refusal is logged (a warning naming the limit, beside the
// request's own log line that says 429) and counted in the RateLimited metric, whose alarm tells of a flood
// (infra/constructs/observability.ts).
import type { LimitName, Rate } from '../domain/limits.js';
import { RateLimited } from '../errors.js';
import { logger } from '../observability/logger.js';
import { rateLimited } from '../observability/metrics.js';
import { takeRequest } from '../store/rate-limits.js';

/** Says that `limit` refused something: the warning and the metric every refusal leaves. */
export function recordRefusal(limit: LimitName, facts: Record<string, unknown> = {}): void {
  logger.warn('rate limited', { limit, ...facts });
  rateLimited(limit);
}

/** Takes one request of `subject` under `limit`; false (logged and counted) when over it. */
export async function allow(limit: LimitName, subject: string, rate: Rate, facts?: Record<string, unknown>) {
  const decision = await takeRequest(limit, subject, rate);
  if (!decision.allowed) recordRefusal(limit, facts);
  return decision;
}

/** Takes one request of `subject` under `limit`, or throws RateLimited (429 with retry-after). */
export async function enforce(limit: LimitName, subject: string, rate: Rate, facts?: Record<string, unknown>) {
  const decision = await allow(limit, subject, rate, facts);
  if (!decision.allowed) throw new RateLimited(decision.retryAfterMs / 1000);
}
