import { describe, expect, it } from 'vitest';
import { failureOf, maxAttempts, retryDelaySeconds } from '../../../../shared/mail/outbox.js';

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

describe('what is kept and logged of a failed send', () => {
  it("is the error's name and code, never its message (it may quote an address)", () => {
    const rejected = Object.assign(new Error('Email address is not verified: ana@example.com'), {
      name: 'MessageRejected',
      $metadata: { httpStatusCode: 400 },
    });
    expect(failureOf(rejected)).toBe('MessageRejected (400)');
    const reset = Object.assign(new Error('read ECONNRESET 10.0.0.1:443'), { code: 'ECONNRESET' });
    expect(failureOf(reset)).toBe('Error (ECONNRESET)');
    expect(failureOf(new TypeError('cannot read ana@example.com'))).toBe('TypeError');
    expect(failureOf('a string with ana@example.com')).toBe('Error');
  });
});
