// What each function costs before it serves anything: the size of the bundle `cdk synth` actually
// produced for it (cdk.out, the same file `cdk deploy` uploads) and the time a fresh Node.js process
// takes to import it. Beside them, a baseline asset that only imports the DynamoDB client, bundled with
// the stack's own esbuild settings: the ratio is what our code adds to the least a DynamoDB function pays.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { functionBuildOptions } from '../infra/constructs/bundles.js';
import { functionRuntime } from '../infra/constructs/function.js';

export interface SynthesizedFunction {
  /** The function's description without the `Atende ` prefix: `GET /tickets`, `WebSocket message.send`. */
  name: string;
  /** The bundle Lambda imports: `cdk.out/asset.<hash>/index.mjs`. */
  file: string;
  bytes: number;
}

/** Sources whose change makes cdk.out stale. */
const sourceDirs = ['infra', 'functions', 'shared'];
const sourceFiles = ['package-lock.json', 'cdk.json'];

function newestMtime(root: string, path: string): number {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(full)) newest = Math.max(newest, newestMtime(root, join(path, entry)));
  return newest;
}

/** True when cdk.out is missing or older than any source a bundle is built from. */
export function isStale(root: string, outDir: string): boolean {
  const manifest = join(outDir, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const sources = Math.max(...[...sourceDirs, ...sourceFiles].map((path) => newestMtime(root, path)));
  return statSync(manifest).mtimeMs < sources;
}

/** Runs `cdk synth` into `outDir` when it is stale; throws with cdk's own output when synth fails. */
export function ensureSynthesized(root: string, outDir: string, log: (line: string) => void): void {
  if (!isStale(root, outDir)) return;
  log(`cdk.out is missing or stale: running cdk synth (output: ${outDir})`);
  const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outDir], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
    const cause = lines.find((line) => /error/i.test(line)) ?? lines[0] ?? '';
    throw new Error(`cdk synth failed (exit ${result.status}): ${cause.trim()}\n${lines.slice(-15).join('\n')}`);
  }
}

interface TemplateResource {
  Type?: string;
  /** A string for ours; CDK's helpers may have an intrinsic (Fn::Join) here. */
  Properties?: { Description?: unknown };
  Metadata?: Record<string, unknown>;
}

/** Every function of the stack with its bundle, read from the synthesized templates' asset metadata. */
export function synthesizedFunctions(outDir: string): SynthesizedFunction[] {
  const found: SynthesizedFunction[] = [];
  for (const templateFile of readdirSync(outDir).filter((name) => name.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outDir, templateFile), 'utf8')) as {
      Resources?: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      const description = resource.Properties?.Description;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || typeof assetPath !== 'string') continue;
      // CDK's own helper functions (custom resources) are not ours and are not ESM bundles.
      if (typeof description !== 'string' || !description.startsWith('Atende ')) continue;
      const file = join(outDir, assetPath, 'index.mjs');
      if (!existsSync(file)) continue;
      found.push({ name: description.slice('Atende '.length), file, bytes: statSync(file).size });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Bundles that several functions share: with output hashing, distinct handlers sharing one is a bundling bug. */
export function sharedBundles(functions: readonly SynthesizedFunction[]): string[][] {
  const byFile = new Map<string, string[]>();
  for (const fn of functions) byFile.set(fn.file, [...(byFile.get(fn.file) ?? []), fn.name]);
  return [...byFile.values()].filter((names) => names.length > 1);
}

const baselineSource = `// The least a DynamoDB-backed function can be: the client, created on first use as ours are.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
let client;
export const handler = async (event) => {
  client ??= new DynamoDBClient({});
  return client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: String(event.id) }, sk: { S: 'META' } } }));
};
`;

/** What the stack's functions are built with (infra/constructs/bundles.ts). */
const stackBuildOptions = (root: string): BuildOptions => ({
  ...functionBuildOptions(root, functionRuntime),
  // The baseline's entry is written outside the project, where no node_modules is found by walking up.
  nodePaths: [join(root, 'node_modules')],
});

/** The baseline, bundled as the stack bundles its functions. */
export async function buildBaseline(root: string, dir: string): Promise<SynthesizedFunction> {
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'baseline.mjs');
  writeFileSync(entry, baselineSource);
  const file = join(dir, 'index.mjs');
  await build({ ...stackBuildOptions(root), entryPoints: [entry], outfile: file });
  return { name: 'baseline: DynamoDB client only', file, bytes: statSync(file).size };
}

/**
 * What a function's bundle is made of, by package (our own code as `shared/`, `functions/`, `infra/`),
 * largest first: where to look when a function's size or init time grows.
 * @param entry the function's entry module (absolute path)
 */
export async function bundleComposition(root: string, entry: string): Promise<{ source: string; bytes: number }[]> {
  const result = await build({
    ...stackBuildOptions(root),
    entryPoints: [entry],
    outfile: join(tmpdir(), 'atende-bench-composition', 'index.mjs'),
    sourcemap: false,
    write: false,
    metafile: true,
  });
  const bytes = new Map<string, number>();
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const source = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? `${path.split('/')[0]}/`;
      bytes.set(source, (bytes.get(source) ?? 0) + input.bytesInOutput);
    }
  }
  return [...bytes].map(([source, size]) => ({ source, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

// Runs in the fresh process: the time from before the import to the end of the module's evaluation
// (top-level awaits included), which is the part of a cold start that the bundle decides.
const importTimer = `
const started = performance.now();
await import(process.argv[1]);
process.stdout.write(String(performance.now() - started));
process.exit(0);
`;

/** One cold import of `file` in a new `node` process, in milliseconds. */
export function measureInit(file: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    // Lambda runs our functions with --enable-source-maps (infra/constructs/function.ts); so does this.
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', importTimer, pathToFileURL(file).href],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(out);
      if (code === 0 && Number.isFinite(ms) && out !== '') resolve(ms);
      else reject(new Error(`importing ${file} failed (exit ${code}): ${err.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

/**
 * Init times of every function and the baseline, `runs` rounds; each round imports every bundle once,
 * so drift in the machine's load hits all of them alike.
 */
export async function measureInits(
  files: readonly string[],
  runs: number,
  env: Record<string, string>,
): Promise<Map<string, number[]>> {
  const samples = new Map(files.map((file) => [file, [] as number[]]));
  // Lambda reads the bundle from a warm local disk; so do we: the first import pays no cold page cache.
  for (const file of files) readFileSync(file);
  await measureInit(files[0] as string, env);
  for (let run = 0; run < runs; run++) {
    for (const file of files) samples.get(file)?.push(await measureInit(file, env));
  }
  return samples;
}
