import { type ErrorDetail, ValidationFailed } from './errors.js';
import * as z from './zod.js';

/**
 * Parses with a zod schema (zod/mini's or classic's: both are core schemas), turning every failing field into
 * the contract's `details`.
 */
export function parse<S extends z.core.$ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [path, key].filter(Boolean).join('.'), issue: 'unknown field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, issue: 'required' }];
    return [{ path, issue: issue.message }];
  });
  throw new ValidationFailed(details);
}
