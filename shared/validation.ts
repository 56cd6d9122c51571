import { type ErrorDetail, ValidationFailed } from './errors.js';
import type * as z from './zod.js';

/**
 * A zod schema of either API: runtime code builds them with zod/mini (shared/zod.ts), tests may use classic
 * zod. Parsing through the schema's own method keeps zod out of the bundles of routes that have no schema.
 */
export type Schema = z.core.$ZodType & Pick<z.ZodMiniType, 'safeParse'>;

/** Parses with a zod schema, turning every failing field into the contract's `details`. */
export function parse<S extends Schema>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.output<S>;
  const details: ErrorDetail[] = result.error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [path, key].filter(Boolean).join('.'), issue: 'unknown field' }));
    }
    // zod does not carry the input on its issues: whether the field was missing or of the wrong type is read
    // from the input itself.
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return [{ path, issue: 'required' }];
    return [{ path, issue: issue.message }];
  });
  throw new ValidationFailed(details);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
