// Brute-force protection for sign-in: 5 failures for one e-mail within 15 minutes lock it for 15 minutes.
// Pure rules; the failures themselves are kept by store/login-attempts.ts.

export const maxFailures = 5;
export const failureWindowMs = 15 * 60 * 1000;
export const lockoutMs = 15 * 60 * 1000;

export interface FailureState {
  /** Epoch milliseconds of recent failures. */
  failures: number[];
  lockedUntil?: number;
}

/** Seconds until sign-in may be tried again, or undefined when it may be tried now. */
export function lockedFor(state: FailureState | undefined, now: number): number | undefined {
  if (!state?.lockedUntil || state.lockedUntil <= now) return undefined;
  return Math.ceil((state.lockedUntil - now) / 1000);
}

/** The state after one more failure at `now`; `lockedNow` says this failure is the one that locks. */
export function afterFailure(state: FailureState | undefined, now: number): FailureState & { lockedNow: boolean } {
  const failures = [...(state?.failures ?? []).filter((t) => t > now - failureWindowMs), now].slice(-maxFailures);
  const stillLocked = lockedFor(state, now) !== undefined;
  if (failures.length >= maxFailures && !stillLocked) {
    return { failures: [], lockedUntil: now + lockoutMs, lockedNow: true };
  }
  return {
    failures,
    ...(state?.lockedUntil && stillLocked ? { lockedUntil: state.lockedUntil } : {}),
    lockedNow: false,
  };
}
