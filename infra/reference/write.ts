// `npm run docs`: writes the generated API reference into docs/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateReference } from './files.js';

const root = resolve(import.meta.dirname, '../..');
for (const [path, content] of Object.entries(await generateReference(root))) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`wrote ${path}`);
}
