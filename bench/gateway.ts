// A local gateway of our own (infra/local/gateway/main.ts, the same process `npm start` runs), started
// with the environment we choose: its DynamoDB endpoint behind the counting/fault-injecting proxy, its SES
// endpoint behind a failing one, its own table. The bench, the load test and the fault tests use it so they
// can count what it does, read its memory, break what it depends on and restart it, without disturbing
// the stack the other integration tests share.
import { execFile } from 'node:child_process';
import { ensureTable } from '../infra/local/dynamodb.js';
import { functionEnvironment, serviceUrls } from '../infra/local/environment.js';
import { startGatewayProcess as spawnGateway } from '../infra/local/gateway/process.js';
import { freePorts, type Ports } from '../infra/local/ports.js';
import { stopGroup } from '../infra/local/processes.js';

export interface GatewayOptions {
  /** Ports of the services the functions reach (DynamoDB may be a proxy); http and ws are the gateway's. */
  ports: Ports;
  dataDir: string;
  tableName: string;
  /** Variables to keep from another environment (e.g. the test stack's), under ours. */
  baseEnv?: Record<string, string>;
  /** Settings that win over the local environment's own (a test's shorter or longer windows). */
  env?: Record<string, string>;
  /** 0: scheduled jobs never run (the bench counts round trips and wants none in the background). */
  scheduleSeconds: number;
  /** Gets every line the gateway prints (its stdout is the functions' log stream). */
  onLine?(line: string): void;
  /** Gets the stdout lines only: what the functions log, as CloudWatch Logs would ingest it. */
  onStdout?(line: string): void;
}

export interface GatewayProcess {
  httpUrl: string;
  wsUrl: string;
  /** Resident set size of the gateway process, in bytes. */
  rssBytes(): Promise<number>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL: every socket dies without a close frame and no $disconnect runs. */
  crash(): Promise<void>;
  /** A new process on the same ports, environment and table (after stop or crash). */
  restart(): Promise<void>;
}

export async function startGatewayProcess(options: GatewayOptions): Promise<GatewayProcess> {
  const { ports, dataDir, tableName } = options;
  const env = { ...options.baseEnv, ...functionEnvironment({ ports, dataDir, tableName }), ...options.env };
  const urls = serviceUrls(ports);
  await ensureTable(urls.dynamoUrl, tableName);
  const spawn = async () => {
    // The caller may keep the gateway's output to itself, so a failed start names its last words.
    const stderr: string[] = [];
    try {
      return await spawnGateway({
        env,
        ports,
        scheduleSeconds: options.scheduleSeconds,
        onStdout(line) {
          options.onStdout?.(line);
          options.onLine?.(line);
        },
        onStderr(line) {
          stderr.push(line);
          if (stderr.length > 30) stderr.shift();
          options.onLine?.(line);
        },
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stderr.join('\n')}`);
    }
  };
  let child = await spawn();
  return {
    httpUrl: urls.httpUrl,
    wsUrl: urls.wsUrl,
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
      child = await spawn();
    },
  };
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
export async function gatewayPorts(services: Omit<Ports, 'http' | 'ws' | 'smtp' | 'hostDemo'>): Promise<Ports> {
  const { http, ws, smtp } = await freePorts();
  return { ...services, http, ws, smtp, hostDemo: 0 };
}

/** The port of a `http://host:port` URL. */
export const portOf = (url: string): number => Number(new URL(url).port);
