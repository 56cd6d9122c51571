// Starts the local stack once per test run, on free ports with a fresh data directory, and hands its
// addresses to every test through `inject('stack')`. Only the integration project runs this.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePorts } from '../../infra/local/ports.js';
import { type StackInfo, startStack } from '../../infra/local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atende-test-'));
  // Password hashing at production cost (scrypt N = 2^17) would make every sign-in in a test slow.
  process.env.ATENDE_SCRYPT_N ??= '1024';
  const stack = await startStack({
    ports: await freePorts(),
    dataDir,
    persistent: false,
    scheduleSeconds: 1,
    print: (line) => process.stderr.write(`[stack] ${line}\n`),
    verbose: false,
    recordDynamoOperations: true,
  });
  const { stop, processGroups, ...info } = stack;
  project.provide('stack', info);
  return async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
