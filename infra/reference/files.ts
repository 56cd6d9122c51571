// The generated API reference, file by file: `npm run docs` writes these (infra/reference/write.ts) and
// test/unit/infra/reference/reference.test.ts fails when the committed ones differ.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedRoutes, openApiDocument } from './openapi.js';
import { documentedFrames, realtimeSchema } from './realtime.js';

export const referenceFiles = {
  openApi: 'docs/openapi.json',
  realtime: 'docs/realtime.schema.json',
} as const;

/** The files' contents, as `npm run docs` writes them: the same inputs always give the same bytes. */
export async function generateReference(root: string): Promise<Record<string, string>> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    [referenceFiles.openApi]: text(openApiDocument(await documentedRoutes(root), version)),
    [referenceFiles.realtime]: text(realtimeSchema(await documentedFrames(root))),
  };
}
