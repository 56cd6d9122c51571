// Starts the local stack once per test run, on free ports with a fresh data directory, and hands its
// addresses to every test through `inject('stack')`. Only the integration project runs this.
//
// It is also where the run proves "no Scan on any request path" (docs/architecture.md), once for every test
// file: the stack's gateway and each file's isolated gateway (test/integration/faults/isolated.ts) send their
// functions' DynamoDB operations through recorders into one file, checked when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { assertNoScans, dynamoOperationsFile } from '../../infra/local/dynamo-recorder.js';
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
  // Every test signs in from 127.0.0.1; the per-IP limit of anonymous routes is tested on a gateway of its
  // own with the default (test/integration/abuse/anonymous-flood.test.ts).
  process.env.ATENDE_ANONYMOUS_LIMIT ??= '1000000';
  // Reply notifications go out seconds after a change, not two minutes.
  process.env.ATENDE_NOTIFY_BATCH_SECONDS ??= '2';
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
    // On failure the data directory stays, with the request log of what ran at those moments.
    assertNoScans(
      dynamoOperationsFile(dataDir),
      `Requests at those times: ${info.logFile}; a table atende-isolated-… is one test file's own gateway.`,
    );
    rmSync(dataDir, { recursive: true, force: true });
  };
}
