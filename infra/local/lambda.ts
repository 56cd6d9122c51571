// Loading and invoking handler files as Lambda does: `handler(event, context)` with a realistic context,
// the module imported once (the first call is the cold start), and the integration's timeout.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { routeKeyOf } from '../../shared/router.js';
import { localRegion } from './environment.js';

export const localAccountId = '123456789012';

export type LambdaHandler = (
  // biome-ignore lint/suspicious/noExplicitAny: a handler takes whatever its trigger sends.
  event: any,
  context: Context,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

const modules = new Map<string, Promise<LambdaHandler>>();

/** Imports a handler file (relative to `root`) once and returns its exported `handler`. */
export function loadHandler(root: string, file: string): Promise<LambdaHandler> {
  const path = isAbsolute(file) ? file : join(root, file);
  let loaded = modules.get(path);
  if (!loaded) {
    loaded = import(pathToFileURL(path).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${file} does not export a function named handler`);
      return module.handler as LambdaHandler;
    });
    // A failed import is retried on the next call, as Lambda retries a failed init on the next invoke.
    loaded.catch(() => modules.delete(path));
    modules.set(path, loaded);
  }
  return loaded;
}

/** `functions/http/tickets/create.ts` → `atende-http-tickets-create`. */
export function functionNameOf(file: string): string {
  const name = file
    .replace(/^.*?functions\//, '')
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `atende-${name}`.slice(0, 64);
}

export function lambdaContext(functionName: string, timeoutMs: number, memoryMb = 1024): Context {
  const deadline = Date.now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('callback-style context methods are not supported; return a value or a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export class InvocationTimeout extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName} did not answer within ${timeoutMs} ms`);
    this.name = 'InvocationTimeout';
  }
}

export interface InvokeOptions {
  root: string;
  file: string;
  timeoutMs: number;
  memoryMb?: number;
}

type InvocationFields = Record<string | symbol, unknown>;

/**
 * What Lambda's Node.js runtime gives handlers when one execution environment runs several invocations at once
 * (Lambda Managed Instances): `globalThis.awslambda.InvokeStore`, the interface of @aws/lambda-invoke-store, holding
 * each invocation's fields in an AsyncLocalStorage. Powertools keeps per-invocation state there (the log keys
 * shared/middleware.ts appends, such as the request id), so two overlapping requests never share them.
 */
class InvokeStore {
  readonly #storage = new AsyncLocalStorage<InvocationFields>();
  getContext = () => this.#storage.getStore();
  hasContext = () => this.#storage.getStore() !== undefined;
  get = (key: string | symbol) => this.#storage.getStore()?.[key];
  set(key: string | symbol, value: unknown): void {
    const fields = this.#storage.getStore();
    if (!fields) throw new Error('No context available');
    fields[key] = value;
  }
  run = <T>(fields: InvocationFields, fn: () => T): T => this.#storage.run(fields, fn);
  getRequestId = () => (this.get(Symbol.for('_AWS_LAMBDA_REQUEST_ID')) as string | undefined) ?? '-';
  getXRayTraceId = () => this.get(Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'));
  getTenantId = () => undefined;
}

let invokeStore: InvokeStore | undefined;

/**
 * Declares this process a multi-concurrency execution environment, as the local gateway is: it runs every
 * function, many invocations at a time. Call it before the first invocation.
 */
export function runInvocationsConcurrently(): void {
  invokeStore ??= new InvokeStore();
  const global = globalThis as { awslambda?: { InvokeStore?: unknown } };
  global.awslambda = { ...global.awslambda, InvokeStore: invokeStore };
  // What Lambda sets in such an environment; Powertools reads per-invocation state from the store only then.
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
}

/** One invocation as Lambda would bill and count it (the bench reads these; nothing else needs them). */
export interface Invocation {
  /** The handler file, relative to the root as the route table names it. */
  file: string;
  /** The route the event was for (shared/router.ts), when it names one: a function may serve several. */
  route?: string;
  /** This invocation imported the handler module: the first in this process, as a cold start is in Lambda. */
  cold: boolean;
  /** Time spent importing the module (0 when warm). Loaded from source beside modules other functions already imported, it is less than a bundle's init in a fresh environment. */
  initMs: number;
  /** From the handler's call to its answer, init excluded. */
  durationMs: number;
  failed: boolean;
}

let invocationObserver: ((invocation: Invocation) => void) | undefined;

/** Calls `observer` after every invocation in this process (the gateway sets it when asked to record them). */
export function observeInvocations(observer: ((invocation: Invocation) => void) | undefined): void {
  invocationObserver = observer;
}

/** Runs a handler; rejects with its error, or with InvocationTimeout when it is slower than `timeoutMs`. */
export async function invoke(options: InvokeOptions, event: unknown): Promise<unknown> {
  const cold = !modules.has(isAbsolute(options.file) ? options.file : join(options.root, options.file));
  const loadStarted = performance.now();
  const handler = await loadHandler(options.root, options.file);
  const initMs = cold ? performance.now() - loadStarted : 0;
  const started = performance.now();
  let failed = true;
  try {
    const result = await run(options, handler, event);
    failed = false;
    return result;
  } finally {
    invocationObserver?.({
      file: options.file,
      route: routeKeyOf(event),
      cold,
      initMs,
      durationMs: performance.now() - started,
      failed,
    });
  }
}

async function run(options: InvokeOptions, handler: LambdaHandler, event: unknown): Promise<unknown> {
  const functionName = functionNameOf(options.file);
  const context = lambdaContext(functionName, options.timeoutMs, options.memoryMb);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimeout(functionName, options.timeoutMs)), options.timeoutMs);
  });
  const call = () =>
    new Promise<unknown>((resolve, reject) => {
      const returned = handler(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (returned !== undefined || handler.length < 3) Promise.resolve(returned).then(resolve, reject);
    });
  const result = invokeStore
    ? invokeStore.run({ [Symbol.for('_AWS_LAMBDA_REQUEST_ID')]: context.awsRequestId }, call)
    : call();
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
