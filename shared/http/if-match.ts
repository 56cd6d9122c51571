import { ValidationFailed } from '../errors.js';

/** The `if-match` header as the version it names: `3`, `"3"` or `W/"3"` → 3; absent → undefined; else 400. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match) throw ValidationFailed.of('if-match', 'expected the ticket version, e.g. "3"');
  return Number(match[1]);
}
