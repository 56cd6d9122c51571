// Builds the web app into web/dist: web/src/main.tsx bundled by esbuild (content-hashed names, so
// CloudFront and browsers may cache them forever), the static files of web/public, and index.html
// pointing at the hashed bundle. `config.json` is not built: the local gateway and the stack provide it.
// The chat for host platforms (docs/embedding.md) is built beside it: the frame page embed.html (its own entry,
// sharing the app's chunks) and /embed.js, a small script of its own under a name that never changes.
//
// Several test files (and `npm start`) may build at the same moment, so every file is written to a
// temporary name and renamed into place: a reader sees the old file or the new one, never half of one.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));
export const webDist = join(webDir, 'dist');

async function writeAtomically(path: string, contents: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const existing = await readFile(path).catch(() => undefined);
  if (existing?.equals(Buffer.from(contents))) return;
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

const target = ['es2022', 'chrome110', 'firefox110', 'safari16'];

/** The pages and the entry each loads. */
const pages = [
  { template: 'index.html', entry: 'src/main.tsx' },
  { template: 'embed.html', entry: 'src/embed/frame.tsx' },
];

export async function buildWeb(): Promise<void> {
  const result = await build({
    entryPoints: pages.map((page) => join(webDir, page.entry)),
    bundle: true,
    splitting: true,
    format: 'esm',
    target,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    outdir: join(webDist, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });

  // The host page's script: no module, no chunks, no framework (window.Atende), under its one stable name.
  const loader = await build({
    entryPoints: [join(webDir, 'src/embed/loader.ts')],
    bundle: true,
    format: 'iife',
    target,
    minify: true,
    outfile: join(webDist, 'embed.js'),
    write: false,
    logLevel: 'warning',
  });

  const outputs = new Map<string, Uint8Array | string>();
  for (const file of [...result.outputFiles, ...loader.outputFiles]) outputs.set(file.path, file.contents);

  const urlOf = (output: string) => `/${relative(webDist, join(process.cwd(), output)).split('\\').join('/')}`;
  for (const page of pages) {
    const entry = relative(process.cwd(), join(webDir, page.entry)).split('\\').join('/');
    const found = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === entry);
    if (!found?.[1].cssBundle) throw new Error(`the build produced no script and styles for ${page.entry}`);
    const template = await readFile(join(webDir, page.template), 'utf8');
    outputs.set(
      join(webDist, page.template),
      template.replace('%SCRIPT%', urlOf(found[0])).replace('%STYLES%', urlOf(found[1].cssBundle)),
    );
  }
  for (const file of await listFiles(join(webDir, 'public'))) {
    outputs.set(join(webDist, relative(join(webDir, 'public'), file)), await readFile(file));
  }

  for (const [path, contents] of outputs) await writeAtomically(path, contents);
  // Bundles of earlier builds: their hashed names are never asked for again.
  for (const file of await listFiles(webDist)) {
    if (!outputs.has(file) && !file.endsWith('.tmp') && file !== join(webDist, 'config.json')) {
      await rm(file, { force: true });
    }
  }
}

// One set of options for everyone: `npm start` and the browser tests build the same files, so neither
// removes the other's bundle as stale.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildWeb();
  console.log(`web app built into ${relative(process.cwd(), webDist) || '.'}`);
}
