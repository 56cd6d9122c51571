// This run's request log ($ATENDE_DATA_DIR/logs/requests.jsonl): one line per HTTP request and WebSocket
// frame. The local stack appends the gateway's lines as they come, a moment after the response, so a test
// waits for what it just did (with a deadline: a missing line fails instead of hanging).
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { RequestLine } from '../../shared/observability/logger.js';
import { eventually } from './eventually.js';

/** Every line of the log so far, as text. */
export async function logText(): Promise<string[]> {
  const text = await readFile(inject('stack').logFile, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

/** Every line of the log so far, parsed. */
export async function requestLog(): Promise<RequestLine[]> {
  return (await logText()).map((line) => JSON.parse(line) as RequestLine);
}

/** Waits until the lines of the log satisfy `done`, and returns them. */
export function waitForLog(what: string, done: (lines: RequestLine[]) => boolean): Promise<RequestLine[]> {
  return eventually(async () => {
    const lines = await requestLog();
    return done(lines) && lines;
  }, `the request log showing ${what}`);
}

/** Waits for the first line of the log that `matches`, and returns it. */
export function waitForLine(what: string, matches: (line: RequestLine) => boolean): Promise<RequestLine> {
  return eventually(async () => (await requestLog()).find(matches), `the request log line of ${what}`);
}
