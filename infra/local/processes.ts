// Child processes of the local stack. Each runs in its own process group (detached) so that stopping
// it kills everything it started; a registry kills whatever is left when this process exits for any
// reason short of SIGKILL. (Against SIGKILL, DynamoDB Local has its own watchdog: see dynamodb.ts.)
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

export type GroupChild = ChildProcess & { stdout: Readable; stderr: Readable; pid: number };

export interface GroupOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** `pipe` keeps a pipe from this process open as the child's stdin (see the watchdog in dynamodb.ts). */
  stdin: 'pipe' | 'ignore';
  /** An IPC channel, for a Node.js child to report that it is ready. */
  ipc?: boolean;
}

/** Starts a child in a process group of its own, with stdout and stderr piped to this process. */
export function spawnGroup(command: string, args: string[], options: GroupOptions): GroupChild {
  const stdio: StdioOptions = [options.stdin, 'pipe', 'pipe', ...(options.ipc ? ['ipc' as const] : [])];
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio, detached: true });
  if (child.pid === undefined || !child.stdout || !child.stderr) {
    throw new Error(`could not start ${command}`);
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child as GroupChild;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM to the whole group, SIGKILL if it is still there after `graceMs`; resolves once it exited. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined) return;
  const exited = hasExited(child) ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The leader may exit before the rest of its group.
  signalGroup(child, 'SIGKILL');
  running.delete(child);
}

/** Calls `onLine` for every line of a stream (a child's stdout or stderr). */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine);
}

/** Keeps the last lines of a child's output, to explain why it died. */
export function tailOf(stream: Readable, max = 20): () => string {
  const lines: string[] = [];
  forEachLine(stream, (line) => {
    lines.push(line);
    if (lines.length > max) lines.shift();
  });
  return () => lines.join('\n');
}
