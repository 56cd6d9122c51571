import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRequest } from '../../../../shared/observability/logger.js';
import { printedLines } from '../../shared/observability/printed.js';

const run = promisify(execFile);
let dataDir: string;

/** `npm run audit` as a person types it; exit code, stdout and stderr. */
async function audit(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'audit', '--', ...args], {
      env: { ...process.env, ATENDE_DATA_DIR: dataDir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atende-audit-cli-'));
  const lines = printedLines(() => {
    logRequest({
      requestId: 'R1',
      route: 'POST /auth/login',
      status: 401,
      latencyMs: 3,
      action: 'auth.login',
      resource: { type: 'account', id: 'bia@example.com' },
      errorCode: 'invalid_credentials',
    });
    logRequest({
      requestId: 'R2',
      route: 'GET /tickets/{id}',
      status: 200,
      latencyMs: 4,
      action: 'ticket.get',
      principal: { userId: '01ANA', role: 'customer', groupIds: ['G1'] },
      resource: { type: 'ticket', id: 'T1' },
    });
    logRequest({
      requestId: 'R3',
      route: 'POST /auth/login',
      status: 429,
      latencyMs: 2,
      action: 'auth.login',
      resource: { type: 'account', id: 'bia@example.com' },
      errorCode: 'rate_limited',
    });
  });
  await mkdir(join(dataDir, 'logs'));
  const [first, second, third] = lines;
  await writeFile(join(dataDir, 'logs', 'requests.jsonl'), [first, 'half a line {', second, third, ''].join('\n'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

// Each case starts npm, scripts/node.mjs and tsx: seconds each on a busy machine, beyond the unit default.
describe('npm run audit', { timeout: 60_000 }, () => {
  it('reads $ATENDE_DATA_DIR/logs/requests.jsonl and prints the matching lines as a table', async () => {
    const { code, stdout, stderr } = await audit(['--outcome', 'denied']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toMatch(/^TIME\s+ROUTE\s+STATUS/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /POST \/auth\/login\s+401\s+denied\s+\(not signed in\)\s+account bia@example.com\s+invalid_credentials/,
    );
    expect(rows[1]).toMatch(/POST \/auth\/login\s+429\s+denied.*rate_limited/);
    expect(stderr).toContain(`${join(dataDir, 'logs', 'requests.jsonl')}:2: not JSON, skipped`);
    expect(stderr).toContain('2 of 3 request lines matched, 1 malformed skipped.');
  });

  it('prints JSON lines with --json, and reads the file named by --file', async () => {
    const { code, stdout } = await audit(
      ['--ticket', 'T1', '--json', '--file', join(dataDir, 'logs', 'requests.jsonl')],
      {
        ATENDE_DATA_DIR: join(dataDir, 'elsewhere'),
      },
    );
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([{ requestId: 'R2', resource: { type: 'ticket', id: 'T1' }, outcome: 'success' }]);
  });

  it('explains itself with --help', async () => {
    const { code, stdout } = await audit(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--user <id or e-mail>');
  });

  it('exits 2 with the usage on a wrong argument, and 1 when there is no log to read', async () => {
    const wrong = await audit(['--outcome', 'failed']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--outcome: "failed"');
    const missing = await audit([], { ATENDE_DATA_DIR: join(dataDir, 'nothing-here') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No request log at');
  });
});
