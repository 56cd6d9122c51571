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

/** Lines a person wrote as the caller. */
export const by = (userId: string) => (line: RequestLine) => line.principal?.userId === userId;

/** Every other line the functions printed in this run (diagnostics, metrics): `logs/functions.jsonl`. */
export async function functionLogText(): Promise<string[]> {
  const text = await readFile(inject('stack').functionLogFile, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}
