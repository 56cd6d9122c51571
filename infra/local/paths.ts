import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: handler paths in infra/routes.ts are relative to it. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
