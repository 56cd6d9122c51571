// The limits against abuse (api.md, "Limits against abuse"), in one place. Sign-in failures have their own
// rules (domain/lockout.ts); every other rate here is a rate plus a burst, applied by store/rate-limits.ts.

/** A rate with a burst: `burst` at once, then one more every `intervalMs`. */
export interface Rate {
  intervalMs: number;
  burst: number;
}

/** `count` per `periodMs`, all of which may come at once. */
export const perPeriod = (count: number, periodMs: number): Rate => ({ intervalMs: periodMs / count, burst: count });

/** Every limit by name: how refusals are logged and counted (the RateLimited metric's `limit` dimension). */
export const limitNames = [
  'sign-in',
  'reset-mail',
  'anonymous',
  'frames',
  'typing',
  'connections',
  'subscriptions',
] as const;
export type LimitName = (typeof limitNames)[number];

/** The routes anyone may call that the per-IP limit covers (`GET /health` stays free for monitors). */
export const anonymousPaths: readonly RegExp[] = [
  /^\/auth\//,
  /^\/invites\/lookup$/,
  /^\/invites\/accept$/,
  // Token-bearing links from e-mails: one-click unsubscribe and rating.
  /^\/notifications\/unsubscribe$/,
  /^\/satisfaction$/,
];

export const limits = {
  /** Password-reset e-mails: one per address per 15 minutes, whatever the number of requests. */
  resetMail: perPeriod(1, 15 * 60 * 1000),
  /** Anonymous routes per source IP (ATENDE_ANONYMOUS_LIMIT overrides the count): an office behind one NAT fits. */
  anonymousPerIp: (count = 300): Rate => perPeriod(count, 5 * 60 * 1000),
  /** Frames per WebSocket connection: 20 per second sustained, bursts of 40. */
  frames: { intervalMs: 50, burst: 40 } satisfies Rate,
  /** `typing` per connection and ticket: one every 2 seconds, the rest dropped silently. */
  typing: perPeriod(1, 2000),
  /** Open WebSocket connections per person. */
  connectionsPerPerson: 10,
  /** Subscriptions per WebSocket connection (the agents' queue included). */
  subscriptionsPerConnection: 200,
} as const;
