import { describe, expect, it } from 'vitest';
import { afterFailure, type FailureState, lockedFor, lockoutMs } from '../../../../shared/domain/lockout.js';

const minute = 60_000;

function fail(times: number, start: number, every = minute): { state: FailureState | undefined; locks: number } {
  let state: FailureState | undefined;
  let locks = 0;
  for (let i = 0; i < times; i++) {
    const next = afterFailure(state, start + i * every);
    if (next.lockedNow) locks++;
    state = { failures: next.failures, ...(next.lockedUntil ? { lockedUntil: next.lockedUntil } : {}) };
  }
  return { state, locks };
}

describe('sign-in lockout', () => {
  it('locks after the fifth failure within 15 minutes, for 15 minutes', () => {
    const { state: afterFour } = fail(4, 0);
    expect(lockedFor(afterFour, 4 * minute)).toBeUndefined();
    const { state, locks } = fail(5, 0);
    expect(locks).toBe(1);
    expect(lockedFor(state, 4 * minute)).toBe(15 * 60);
    expect(lockedFor(state, 4 * minute + lockoutMs)).toBeUndefined();
  });

  it('forgets failures older than the window', () => {
    const { state, locks } = fail(5, 0, 4 * minute);
    expect(locks).toBe(0);
    expect(lockedFor(state, 16 * minute)).toBeUndefined();
  });

  it('keeps the lockout running when more failures arrive during it', () => {
    const { state } = fail(7, 0, 1000);
    expect(lockedFor(state, 7000)).toBeGreaterThan(14 * 60);
  });
});
