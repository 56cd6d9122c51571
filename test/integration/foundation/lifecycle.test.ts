// Starting and stopping the local stack: busy ports get a clear message, Ctrl-C on `npm start` leaves
// no process behind, and DynamoDB Local (a java process) dies even when its owner is killed outright.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../../infra/local/paths.js';
import { freePorts, type Ports } from '../../../infra/local/ports.js';
import { startStack } from '../../../infra/local/stack.js';
import { eventually } from '../../support/eventually.js';

const stack = inject('stack');

/** Pids of live processes whose command line or environment contains `needle` (Linux /proc). */
function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    for (const file of ['cmdline', 'environ']) {
      try {
        if (readFileSync(`/proc/${entry}/${file}`).toString('latin1').includes(needle)) found.push(Number(entry));
      } catch {
        // Gone meanwhile, or not ours to read.
      }
    }
  }
  return [...new Set(found)];
}

const groupAlive = (group: number) => {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
};

describe('starting and stopping the local stack', () => {
  it('refuses ports already in use with a message naming the port and the variable to change', async () => {
    const port = (url: string) => Number(new URL(url).port);
    const busy: Ports = {
      http: port(stack.httpUrl),
      ws: port(stack.wsUrl),
      ses: port(stack.sesUrl),
      s3: port(stack.s3Url),
      dynamodb: port(stack.dynamoUrl),
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-busy-'));
    try {
      await expect(
        startStack({ ports: busy, dataDir, persistent: false, scheduleSeconds: 0, print: () => {}, verbose: false }),
      ).rejects.toThrow(new RegExp(`Port ${busy.http} \\(HTTP API\\) is already in use.*HTTP_PORT=`));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('npm start answers GET /health, and Ctrl-C stops every process it started', async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-start-'));
    const env = {
      ...process.env,
      HTTP_PORT: String(ports.http),
      WS_PORT: String(ports.ws),
      SES_PORT: String(ports.ses),
      S3_PORT: String(ports.s3),
      DYNAMODB_PORT: String(ports.dynamodb),
      ATENDE_DATA_DIR: dataDir,
    };
    // Its own process group, like a shell's foreground job, so that Ctrl-C (SIGINT) reaches all of it.
    const start = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'infra', 'local', 'start.ts')], {
      cwd: projectRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    for (const stream of [start.stdout, start.stderr])
      createInterface({ input: stream }).on('line', (l) => output.push(l));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    try {
      await eventually(
        async () => {
          if (start.exitCode !== null) throw new Error(`npm start exited:\n${output.join('\n')}`);
          const res = await fetch(`http://127.0.0.1:${ports.http}/health`).catch(() => undefined);
          return res?.status === 200;
        },
        'GET /health answering 200',
        // 60 s on an idle machine (issue 3); more headroom here, where the whole suite runs alongside.
        90_000,
      );
      const java = processesWith(`-port\0${ports.dynamodb}\0`);
      const gateway = processesWith(`HTTP_PORT=${ports.http}\0`);
      expect(java.length).toBeGreaterThan(0);
      expect(gateway.length).toBeGreaterThan(0);

      process.kill(-(start.pid as number), 'SIGINT');
      expect(await exited).toBe(0);
      await eventually(
        () =>
          processesWith(`-port\0${ports.dynamodb}\0`).length === 0 &&
          processesWith(`HTTP_PORT=${ports.http}\0`).length === 0,
        'every process of npm start gone',
        15_000,
      );
    } finally {
      if (start.exitCode === null) process.kill(-(start.pid as number), 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);

  it('DynamoDB Local dies with its owner, even when the owner is killed with SIGKILL', async () => {
    const { dynamodb } = await freePorts();
    const owner = spawn(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'test/integration/foundation/fixtures/dynamo-owner.ts'), String(dynamodb)],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: owner.stdout }).once('line', resolve);
        owner.once('exit', (code) => reject(new Error(`owner exited with ${code}`)));
      });
      const { processGroup } = JSON.parse(line) as { processGroup: number };
      expect(groupAlive(processGroup)).toBe(true);
      owner.kill('SIGKILL');
      await eventually(() => !groupAlive(processGroup), 'the java process group gone', 15_000);
    } finally {
      owner.kill('SIGKILL');
    }
  }, 90_000);
});
