// `npm run lint:deps`: checks that dependencies run one way (the rules are in .dependency-cruiser.cjs).
// dependency-cruiser reads TypeScript through the TypeScript compiler's API, which TypeScript 7 (our
// compiler) does not offer yet, so this script first turns each source file into JavaScript with esbuild
// in a scratch folder (same paths, `.js`), then runs depcruise there and reports with the source names.
// Type-only imports count as dependencies (a type pulled from a higher layer is a leak too), except in
// web/, whose type-only imports are erased as in its bundle: there the checker sees what the browser loads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { transform } from 'esbuild';

const root = join(import.meta.dirname, '..');
const folders = ['shared', 'functions', 'infra', 'web', 'scripts', 'bench'];
/** Transpiled too, for the tools that borrow test fixtures (bench/), but not checked themselves. */
const alsoTranspiled = ['test'];

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.tsx?$/.test(path) && !path.endsWith('.d.ts') && !path.includes('node_modules'))
    .map((path) => join(folder, path));
}

/** Keeps `import type` / `export type … from` as imports, so the checker sees them. */
function keepTypeImports(code: string): string {
  return code
    .replace(/^(\s*)import type /gm, '$1import ')
    .replace(/^(\s*)export type (\{[^}]*\}\s*from)/gm, '$1export $2');
}

const scratch = mkdtempSync(join(tmpdir(), 'atende-layers-'));
try {
  const names = new Map<string, string>();
  for (const source of [...folders, ...alsoTranspiled].flatMap(sources)) {
    const code = readFileSync(join(root, source), 'utf8');
    const { code: js } = await transform(source.startsWith('web/') ? code : keepTypeImports(code), {
      loader: source.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      sourcefile: source,
    });
    const target = source.replace(/\.tsx?$/, '.js');
    names.set(target, source);
    mkdirSync(join(scratch, dirname(target)), { recursive: true });
    writeFileSync(join(scratch, target), js);
  }
  writeFileSync(join(scratch, 'package.json'), readFileSync(join(root, 'package.json')));
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
  const config = relative(scratch, join(root, '.dependency-cruiser.cjs'));
  const run = spawnSync(
    process.execPath,
    [depcruise, '--config', config, '--output-type', process.argv[2] ?? 'err-long', ...folders],
    { cwd: scratch, encoding: 'utf8' },
  );
  const rename = (text: string) =>
    text.replace(
      /\b(?:shared|functions|infra|web|scripts|bench|test)\/[\w./-]+?\.js\b/g,
      (path) => names.get(path) ?? path,
    );
  process.stdout.write(rename(run.stdout));
  process.stderr.write(rename(run.stderr));
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
