import { describe, expect, it } from 'vitest';
import { maxAttempts, retryDelaySeconds } from '../../../../shared/mail/outbox.js';

describe('e-mail retry backoff', () => {
  it('doubles from one minute up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it('keeps trying for about two hours before giving up', () => {
    const total = Array.from({ length: maxAttempts - 1 }, (_, i) => retryDelaySeconds(i + 1)).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total / 3600).toBeGreaterThan(1.5);
    expect(total / 3600).toBeLessThan(3);
  });
});
