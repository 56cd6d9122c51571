import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/local/paths.js';
import * as z from '../../../shared/zod.js';

function sources(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const importPattern = /import\s+(?:type\s+)?([^;]*?)\s+from\s+'([^']+)'/g;

describe('zod in the functions', () => {
  it('comes only through shared/zod.ts, imported as a namespace (anything else bundles all of zod)', () => {
    const offending = [...sources('shared'), ...sources('functions')]
      .filter((file) => relative('shared', file) !== 'zod.ts')
      .flatMap((file) =>
        [...readFileSync(join(projectRoot, file), 'utf8').matchAll(importPattern)]
          .filter(([, names, from]) =>
            from?.endsWith('/zod.js') ? !/^\*\s+as\s+\w+$/.test(names ?? '') : /^zod(\/|$)/.test(from ?? ''),
          )
          .map(([statement]) => `${file}: ${statement}`),
      );
    expect(offending).toEqual([]);
  });

  it('words issues in English, as the validation_failed details show them', () => {
    const result = z.safeParse(z.strictObject({ name: z.string().check(z.maxLength(3)) }), { name: 'Maria' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Too big: expected string to have <=3 characters',
    ]);
  });
});
