import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors.js';
import { parse } from '../../../shared/validation.js';
import * as z from '../../../shared/zod.js';

const Body = z.strictObject({
  subject: z.string(),
  documentRef: z.optional(z.strictObject({ id: z.string() })),
});

function detailsOf(input: unknown) {
  try {
    parse(Body, input);
  } catch (error) {
    if (error instanceof ValidationFailed) return error.details ?? [];
    throw error;
  }
  throw new Error('parse accepted the input');
}

describe('validation details, as a client reads them', () => {
  it('says a missing field is required', () => {
    expect(detailsOf({})).toEqual([{ path: 'subject', issue: 'required' }]);
  });

  it('says a field of the wrong type is of the wrong type, not that it is missing', () => {
    const [detail] = detailsOf({ subject: 42 });
    expect(detail?.path).toBe('subject');
    expect(detail?.issue).not.toBe('required');
    expect(detail?.issue).toMatch(/string/);
  });

  it('tells nested missing and wrong-typed fields apart too, and names unknown fields', () => {
    expect(detailsOf({ subject: 's', documentRef: {} })).toEqual([{ path: 'documentRef.id', issue: 'required' }]);
    expect(detailsOf({ subject: 's', documentRef: { id: null } })[0]?.issue).not.toBe('required');
    expect(detailsOf({ subject: 's', extra: 1 })).toEqual([{ path: 'extra', issue: 'unknown field' }]);
  });
});
