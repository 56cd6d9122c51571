// The request log of this test run, read the way an auditor reads it: `npm run audit` as a process.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import type { RequestLine } from '../../../shared/observability/logger.js';

const run = promisify(execFile);

export interface AuditAnswer {
  code: number;
  stdout: string;
  stderr: string;
  /** With `--json`: the matching lines. */
  lines: RequestLine[];
}

/** `npm run audit -- --file <this run's log> …args`. */
export async function audit(...args: string[]): Promise<AuditAnswer> {
  const argv = ['run', '--silent', 'audit', '--', '--file', inject('stack').logFile, ...args];
  let result: { code: number; stdout: string; stderr: string };
  try {
    result = { code: 0, ...(await run('npm', argv, { maxBuffer: 64 * 1024 * 1024 })) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    result = { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  const lines = args.includes('--json')
    ? result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RequestLine)
    : [];
  return { ...result, lines };
}

/** Every line of the run's request log, as text. */
export async function logText(): Promise<string[]> {
  const text = await readFile(inject('stack').logFile, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

/**
 * The local stack appends the gateway's lines to the log as they come; this waits until the log holds
 * what the test just did (every wait has a deadline, so a missing line fails instead of hanging).
 */
export async function waitForLog(what: string, done: (lines: RequestLine[]) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await logText()).map((line) => JSON.parse(line) as RequestLine);
    if (done(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`the request log never showed ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lines a person wrote as the caller. */
export const by = (userId: string) => (line: RequestLine) => line.principal?.userId === userId;
