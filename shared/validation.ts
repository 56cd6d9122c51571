import type { z } from 'zod';
import { type ErrorDetail, ValidationFailed } from './errors.js';

/** Parses with a zod schema, turning every failing field into the contract's `details`. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
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
