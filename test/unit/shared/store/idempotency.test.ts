import { describe, expect, it } from 'vitest';
import { requestHash } from '../../../../shared/store/idempotency.js';

describe('a request fingerprint', () => {
  it('is the same for the same JSON value in any key order, and absent fields do not count', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(requestHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(requestHash({ a: 1, b: undefined })).toBe(requestHash({ a: 1 }));
  });

  it('differs when any value differs', () => {
    expect(requestHash({ a: 1, b: [1, 2] })).not.toBe(requestHash({ a: 1, b: [2, 1] }));
    expect(requestHash({ subject: 'Nota' })).not.toBe(requestHash({ subject: 'nota' }));
  });
});
