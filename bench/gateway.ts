// A local gateway of our own (infra/local/gateway-main.ts, the same process `npm start` runs), started
// with the environment we choose: its DynamoDB endpoint behind the counting/fault-injecting proxy, its SES
// endpoint behind a failing one, its own table. The bench, the load test and the fault tests use it so they
// can count what it does, read its memory, break what it depends on and restart it, without disturbing
// the stack the other integration tests share.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ensureTable } from '../infra/local/dynamodb.js';
import { functionEnvironment } from '../infra/local/environment.js';
import { projectRoot } from '../infra/local/paths.js';
import { freePorts, type Ports } from '../infra/local/ports.js';
import { forEachLine, type GroupChild, spawnGroup, stopGroup } from '../infra/local/processes.js';

export interface GatewayOptions {
  /** Ports of the services the functions reach (DynamoDB may be a proxy); http and ws are the gateway's. */
  ports: Ports;
  dataDir: string;
  tableName: string;
  /** Variables to keep from another environment (e.g. the test stack's), under ours. */
  baseEnv?: Record<string, string>;
  /** 0: scheduled jobs never run (the bench counts round trips and wants none in the background). */
  scheduleSeconds: number;
  /** Gets every line the gateway prints (its stdout is the functions' log stream). */
  onLine?(line: string): void;
}

export interface GatewayProcess {
  httpUrl: string;
  wsUrl: string;
  /** The environment its functions get. */
  env: Record<string, string>;
  pid(): number;
  /** Resident set size of the gateway process, in bytes. */
  rssBytes(): Promise<number>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL: every socket dies without a close frame and no $disconnect runs. */
  crash(): Promise<void>;
  /** A new process on the same ports, environment and table (after stop or crash). */
  restart(): Promise<void>;
}

// A Lambda function sees only its own environment, not the shell's (as infra/local/stack.ts does).
const systemVariables = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL'];

export function gatewayEnvironment(options: GatewayOptions): Record<string, string> {
  const system = Object.fromEntries(
    systemVariables.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])),
  );
  return {
    ...system,
    ...options.baseEnv,
    ...functionEnvironment({ ports: options.ports, dataDir: options.dataDir, tableName: options.tableName }),
    HTTP_PORT: String(options.ports.http),
    WS_PORT: String(options.ports.ws),
    ATENDE_SCHEDULE_SECONDS: String(options.scheduleSeconds),
  };
}

export async function startGatewayProcess(options: GatewayOptions): Promise<GatewayProcess> {
  const env = gatewayEnvironment(options);
  await ensureTable(`http://127.0.0.1:${options.ports.dynamodb}`, options.tableName);
  let child = await spawnGateway(env, options.onLine);
  return {
    httpUrl: `http://localhost:${options.ports.http}`,
    wsUrl: `ws://localhost:${options.ports.ws}`,
    env,
    pid: () => child.pid,
    rssBytes: () => rssOf(child.pid),
    stop: () => stopGroup(child),
    async crash() {
      const exited =
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
      await stopGroup(child);
    },
    async restart() {
      await stopGroup(child);
      child = await spawnGateway(env, options.onLine);
    },
  };
}

async function spawnGateway(env: Record<string, string>, onLine?: (line: string) => void): Promise<GroupChild> {
  const child = spawnGroup(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'infra', 'local', 'gateway-main.ts')],
    {
      cwd: projectRoot,
      stdin: 'ignore',
      ipc: true,
      env,
    },
  );
  const stderr: string[] = [];
  forEachLine(child.stdout, (line) => onLine?.(line));
  forEachLine(child.stderr, (line) => {
    stderr.push(line);
    if (stderr.length > 30) stderr.shift();
    onLine?.(line);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the gateway did not start within 60 s')), 60_000);
      child.on('message', (message: { kind?: string; error?: string }) => {
        if (message.kind === 'ready') resolve();
        if (message.kind === 'failed') reject(new Error(`the gateway did not start: ${message.error}`));
      });
      child.once('exit', (code) => reject(new Error(`the gateway exited with code ${code} while starting`)));
    });
  } catch (error) {
    await stopGroup(child);
    throw new Error(`${(error as Error).message}\n${stderr.join('\n')}`);
  } finally {
    clearTimeout(timer);
    child.removeAllListeners('message');
  }
  return child;
}

function rssOf(pid: number): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => {
      const kib = Number(stdout.trim());
      if (error || !Number.isFinite(kib) || kib <= 0) reject(new Error(`no RSS for process ${pid}`));
      else resolve(kib * 1024);
    }),
  );
}

/** Free ports for a gateway of our own, with the other services' ports as given. */
export async function gatewayPorts(services: Omit<Ports, 'http' | 'ws'>): Promise<Ports> {
  const { http, ws } = await freePorts();
  return { ...services, http, ws };
}

/** The port of a `http://host:port` URL. */
export const portOf = (url: string): number => Number(new URL(url).port);
