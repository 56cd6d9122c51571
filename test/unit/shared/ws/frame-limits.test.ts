import { describe, expect, it } from 'vitest';
import { leadingRequestId } from '../../../../shared/ws/frame-limits.js';

describe('the requestId of an oversized frame', () => {
  const big = 'x'.repeat(40_000);

  it('is read from the first bytes when the frame sends it before its large fields', () => {
    expect(leadingRequestId(JSON.stringify({ requestId: 'r-1', action: 'message.send', body: big }))).toBe('r-1');
    expect(
      leadingRequestId(JSON.stringify({ action: 'message.send', ticketId: 'T1', requestId: 'r-2', body: big })),
    ).toBe('r-2');
  });

  it('skips the members before it, nested objects and escaped quotes included', () => {
    const frame = `{ "documentRef": {"requestId": "nested", "t": "a \\"}\\" b"}, "list": [1, {"x": "]"}], "n": -1.5e3, "ok": true,
      "requestId" : "r-3", "body": "${big}"}`;
    expect(leadingRequestId(frame)).toBe('r-3');
  });

  it('is not taken from a nested object or from inside a string', () => {
    expect(leadingRequestId(JSON.stringify({ documentRef: { requestId: 'nested' }, body: big }))).toBeUndefined();
    expect(leadingRequestId(JSON.stringify({ body: `"requestId":"fake" ${big}` }))).toBeUndefined();
  });

  it('is not searched for beyond the first 4 KiB, nor taken when it is not a valid id', () => {
    expect(leadingRequestId(JSON.stringify({ body: big, requestId: 'late' }))).toBeUndefined();
    expect(leadingRequestId(JSON.stringify({ requestId: 'has spaces', body: big }))).toBeUndefined();
    expect(leadingRequestId(JSON.stringify({ requestId: 7, body: big }))).toBeUndefined();
    expect(leadingRequestId(`["requestId", "r-1", "${big}"]`)).toBeUndefined();
    expect(leadingRequestId(`not json ${big}`)).toBeUndefined();
  });
});
