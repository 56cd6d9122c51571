// Starting and stopping the local stack: busy ports get a clear message, no Java a message naming what to
// install, Ctrl-C on `npm start` leaves no process behind and a restart finds the data where it was, and
// DynamoDB Local (a java process) dies even when its owner is killed outright.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../../infra/local/paths.js';
import { freePorts, type Ports } from '../../../infra/local/ports.js';
import { startStack } from '../../../infra/local/stack.js';
import { eventually } from '../../support/eventually.js';
import { majorOf, olderMachineNode, projectNodeMajor } from '../../support/node.js';

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

/** What `npm start` reads: these ports and this data directory. */
const atendeEnv = (ports: Ports, dataDir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  // Started as outside tools start it: with the machine's own Node.js first on PATH, when that one is older.
  PATH: [olderMachineNode() && '/usr/bin', process.env.PATH].filter(Boolean).join(':'),
  HTTP_PORT: String(ports.http),
  WS_PORT: String(ports.ws),
  SES_PORT: String(ports.ses),
  S3_PORT: String(ports.s3),
  DYNAMODB_PORT: String(ports.dynamodb),
  HOST_DEMO_PORT: String(ports.hostDemo),
  SMTP_PORT: String(ports.smtp),
  ATENDE_DATA_DIR: dataDir,
});

function collect(child: ChildProcess): string[] {
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => output.push(line));
  }
  return output;
}

interface Started {
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
  healthySeconds: string;
}

/** `npm start` as a person runs it (web app build first), in its own process group like a shell's foreground job. */
async function npmStart(env: NodeJS.ProcessEnv, api: string): Promise<Started> {
  const began = Date.now();
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  // 'close': npm and every process that shares its output (start.ts) are gone.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`npm start exited:\n${output.join('\n')}`);
        const res = await fetch(`${api}/health`).catch(() => undefined);
        return res?.status === 200;
      },
      'GET /health answering 200',
      // 60 s on an idle machine (issue 3), web app build included; more headroom here, where other tests run too.
      150_000,
    );
  } catch (error) {
    process.kill(-(child.pid as number), 'SIGKILL');
    throw error;
  }
  return { child, output, exited, healthySeconds: ((Date.now() - began) / 1000).toFixed(1) };
}

/** Ctrl-C: SIGINT to the whole foreground group; npm passes on the signal, Atende stops what it started. */
async function ctrlC(started: Started): Promise<void> {
  process.kill(-(started.child.pid as number), 'SIGINT');
  await started.exited;
  expect(started.output.join('\n')).toContain('SIGINT: stopping');
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
      hostDemo: 0,
      smtp: stack.smtpPort,
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

  it('npm start answers GET /health, Ctrl-C stops every process it started, and a restart keeps the data', async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-start-'));
    const admin = { email: 'admin@lifecycle.test', password: `lifecycle-${Date.now()}` };
    const env = {
      ...atendeEnv(ports, dataDir),
      ATENDE_ADMIN_EMAIL: admin.email,
      ATENDE_ADMIN_PASSWORD: admin.password,
      ATENDE_DEMO: '0',
      ATENDE_SCRYPT_N: '1024',
    };
    const api = `http://127.0.0.1:${ports.http}`;
    const signIn = async () => {
      const res = await fetch(`${api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      });
      expect(res.status).toBe(200);
      const { accessToken } = (await res.json()) as { accessToken: string };
      return { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    };
    const groupName = `Transportes Lifecycle ${Date.now()}`;
    try {
      const first = await npmStart(env, api);
      console.log(`npm start (web app build included): GET /health answered after ${first.healthySeconds} s`);
      let groupId: string;
      try {
        const java = processesWith(`-port\0${ports.dynamodb}\0`);
        const gateway = processesWith(`HTTP_PORT=${ports.http}\0`);
        expect(java.length).toBeGreaterThan(0);
        expect(gateway.length).toBeGreaterThan(0);
        // The gateway loads the handlers into its own process: they run on the Node.js major Lambda runs.
        const [gatewayProcess] = gateway.filter((pid) =>
          readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('gateway/main.ts'),
        );
        const runtime = readlinkSync(`/proc/${gatewayProcess}/exe`);
        const version = await promisify(execFile)(runtime, ['-p', 'process.version'], { encoding: 'utf8' });
        expect(majorOf(version.stdout)).toBe(projectNodeMajor);
        // The banner names the demo host platform first: walking the story starts there, on its own origin.
        await eventually(() => first.output.includes('Atende is running:'), 'the start-up banner', 30_000);
        const banner = first.output.slice(first.output.indexOf('Atende is running:') + 1);
        expect(banner[0]).toMatch(new RegExp(`^\\s+demo host platform\\s+http://localhost:${ports.hostDemo}\\b`));
        const hostPage = await fetch(`http://127.0.0.1:${ports.hostDemo}/`);
        expect(await hostPage.text()).toContain('Entrar na plataforma');
        // The seed runs after /health answers: the admin may sign in a moment later.
        const headers = await eventually(() => signIn().catch(() => undefined), 'the seeded admin signing in', 30_000);
        const created = await fetch(`${api}/groups`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: groupName }),
        });
        expect(created.status).toBe(201);
        groupId = ((await created.json()) as { group: { id: string } }).group.id;
      } finally {
        await ctrlC(first);
      }
      await eventually(
        () =>
          processesWith(`-port\0${ports.dynamodb}\0`).length === 0 &&
          processesWith(`HTTP_PORT=${ports.http}\0`).length === 0,
        'every process of npm start gone',
        15_000,
      );

      // Started again on the same data directory, it still knows the admin and the group.
      const second = await npmStart(env, api);
      console.log(`npm start again: GET /health answered after ${second.healthySeconds} s`);
      try {
        const headers = await eventually(() => signIn().catch(() => undefined), 'the admin signing in again', 30_000);
        const groups = await fetch(`${api}/groups`, { headers });
        expect(groups.status).toBe(200);
        const { items } = (await groups.json()) as { items: { id: string; name: string }[] };
        expect(items).toContainEqual(expect.objectContaining({ id: groupId, name: groupName }));
      } finally {
        await ctrlC(second);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 420_000);

  it('stops with a message naming what to install when there is no Java, leaving nothing behind', async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-nojava-'));
    try {
      const start = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'infra', 'local', 'start.ts')], {
        cwd: projectRoot,
        env: { ...atendeEnv(ports, dataDir), JAVA_HOME: '/nonexistent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = collect(start);
      const code = await new Promise<number | null>((resolve) => start.once('exit', resolve));
      expect(code).toBe(1);
      expect(output.join('\n')).toMatch(/DynamoDB Local needs Java 17 or newer.*openjdk-17-jre-headless/s);
      expect(processesWith(`HTTP_PORT=${ports.http}\0`)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

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
