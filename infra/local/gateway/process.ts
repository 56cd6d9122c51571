// The gateway as a child process (main.ts): spawned in a process group of its own, resolved once it
// reports `ready` over IPC. The local stack (stack.ts) starts it this way, and so do the bench and the fault
// tests (bench/gateway.ts), each with the environment and the output handling it needs.
import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import type { Ports } from '../ports.js';
import { forEachLine, type GroupChild, spawnGroup, stopGroup } from '../processes.js';

export interface GatewayProcessOptions {
  /** What the functions get (functionEnvironment, perhaps with an endpoint replaced), and the gateway too. */
  env: Record<string, string>;
  ports: Pick<Ports, 'http' | 'ws'>;
  /** Seconds between runs of each scheduled job; 0: they never run. */
  scheduleSeconds: number;
  /** Every line the gateway prints on stdout: its functions' log stream. */
  onStdout(line: string): void;
  onStderr(line: string): void;
}

// A Lambda function sees only its own environment, not the shell's (no AWS_PROFILE, no stray endpoints).
const systemVariables = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'SYSTEMROOT'];

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GroupChild> {
  const system = Object.fromEntries(
    systemVariables.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const child = spawnGroup(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'infra', 'local', 'gateway', 'main.ts')],
    {
      cwd: projectRoot,
      stdin: 'ignore',
      ipc: true,
      env: {
        ...system,
        ...options.env,
        HTTP_PORT: String(options.ports.http),
        WS_PORT: String(options.ports.ws),
        ATENDE_SCHEDULE_SECONDS: String(options.scheduleSeconds),
      },
    },
  );
  forEachLine(child.stdout, options.onStdout);
  forEachLine(child.stderr, options.onStderr);
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
    throw error;
  } finally {
    clearTimeout(timer);
    child.removeAllListeners('message');
  }
  return child;
}
