// Bundles the handlers of many functions in ONE esbuild run. esbuild reads each shared module (the AWS SDK,
// shared/) once per run, so 40 handlers take about as long as 4 would one by one; NodejsFunction's own
// bundling runs esbuild once per function. The output is what NodejsFunction would produce with the same
// options: a self-contained index.mjs (+ source map) per function, bundled locally, no Docker.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code, type Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync } from 'esbuild';

/**
 * esbuild turns the AWS SDK's `require('node:…')` calls into a `__require` shim that throws inside an ES
 * module ("Dynamic require of "node:https" is not supported"); a real `require` made with createRequire
 * lets them work.
 */
const esmRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * The esbuild options of every function's bundle (bench/assets.ts builds its baseline with them too).
 * @param projectRoot where packages are resolved from
 * @param runtime the functions' runtime: esbuild may emit what its Node.js version understands
 */
export function functionBuildOptions(projectRoot: string, runtime: Runtime): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: runtime.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    minify: true,
    sourcemap: true,
    // Line mappings are enough for stack traces; embedding the sources would double the upload.
    sourcesContent: false,
    // The AWS SDK is bundled too: the version we test is the version that runs.
    external: [],
    absWorkingDir: projectRoot,
    logLevel: 'error',
  };
}

export class Bundles {
  private readonly built = new Map<string, string>();
  private readonly pending = new Set<string>();
  /** Entry modules generated rather than read from a file (a function's router, infra/function-groups.ts), by name. */
  private readonly generatedSources = new Map<string, string>();
  private outdir?: string;

  private readonly buildOptions: BuildOptions;

  /**
   * @param projectRoot handler paths are relative to it
   * @param runtime the functions' runtime
   */
  constructor(
    private readonly projectRoot: string,
    runtime: Runtime,
  ) {
    this.buildOptions = functionBuildOptions(projectRoot, runtime);
  }

  /** Announces handlers before their functions are created, so one run bundles them all. */
  include(handlers: readonly string[]): void {
    for (const handler of handlers) if (!this.built.has(handler)) this.pending.add(handler);
  }

  /**
   * Announces an entry module made of source rather than read from a file, bundled as `name` (then passed to
   * `code` like a handler file). `render` gets how the module must name a file of the project.
   */
  generated(name: string, render: (pathOf: (file: string) => string) => string): void {
    if (this.built.has(name)) throw new Error(`bundle ${name} was built before its source was given`);
    this.generatedSources.set(
      name,
      render((file) => join(this.projectRoot, file)),
    );
    this.include([name]);
  }

  /**
   * The code asset of one handler. CDK calls the local bundler only for stacks it is synthesizing for
   * deployment (`aws:cdk:bundling-stacks`), exactly as for NodejsFunction.
   */
  code(handler: string): Code {
    this.include([handler]);
    return Code.fromAsset(this.projectRoot, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Required by the type; never pulled, because local bundling always succeeds or throws.
        image: DockerImage.fromRegistry('atende/no-docker-bundling'),
        local: new HandlerBundle(handler, this),
      },
    });
  }

  /** Writes the bundle of `handler` into the asset folder CDK is staging. */
  copyTo(handler: string, outputDir: string): void {
    const dir = this.bundleOf(handler);
    for (const file of ['index.mjs', 'index.mjs.map']) copyFileSync(join(dir, file), join(outputDir, file));
  }

  private bundleOf(handler: string): string {
    if (!this.built.has(handler)) this.buildPending();
    const dir = this.built.get(handler);
    if (!dir) throw new Error(`no bundle for ${handler}`);
    return dir;
  }

  private buildPending(): void {
    const outdir = this.outdir ?? mkdtempSync(join(tmpdir(), 'atende-bundles-'));
    if (!this.outdir) {
      process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
      this.outdir = outdir;
    }
    const handlers = [...this.pending];
    // One output folder per handler, mirroring its path: functions/http/health.ts → functions/http/health/
    const folderOf = (handler: string) => handler.replace(/\.[cm]?[jt]sx?$/, '');
    const entryOf = (handler: string) => {
      const source = this.generatedSources.get(handler);
      if (source === undefined) return join(this.projectRoot, handler);
      const file = join(outdir, 'generated', `${folderOf(handler)}.ts`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, source);
      return file;
    };
    buildSync({
      ...this.buildOptions,
      entryPoints: Object.fromEntries(handlers.map((handler) => [`${folderOf(handler)}/index`, entryOf(handler)])),
      outdir,
      outExtension: { '.js': '.mjs' },
    });
    for (const handler of handlers) {
      this.built.set(handler, join(outdir, folderOf(handler)));
      this.pending.delete(handler);
    }
  }
}

/**
 * CDK stages an asset once per distinct source and bundling options, comparing them as JSON: `handler` is
 * what makes each handler's options distinct (the Bundles behind it is a private field, left out of JSON).
 */
class HandlerBundle implements ILocalBundling {
  readonly #bundles: Bundles;

  constructor(
    readonly handler: string,
    bundles: Bundles,
  ) {
    this.#bundles = bundles;
  }

  tryBundle(outputDir: string): boolean {
    this.#bundles.copyTo(this.handler, outputDir);
    return true;
  }
}
