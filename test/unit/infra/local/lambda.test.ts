import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  functionNameOf,
  type Invocation,
  InvocationTimeout,
  invoke,
  lambdaContext,
  observeInvocations,
  runInvocationsConcurrently,
} from '../../../../infra/local/lambda.js';
import { projectRoot } from '../../../../infra/local/paths.js';
import { printedLinesOf } from '../../shared/observability/printed.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-lambda-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function handlerFile(name: string, source: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  return file;
}

describe('invoking a handler as Lambda does', () => {
  it('names functions after their handler file', () => {
    expect(functionNameOf('functions/http/tickets/create.ts')).toBe('atende-http-tickets-create');
    expect(functionNameOf('functions/ws/$connect.ts')).toBe('atende-ws-connect');
  });

  it('gives a context with the request id, the function and the time left', () => {
    const context = lambdaContext('atende-x', 1000);
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.invokedFunctionArn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:atende-x$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(1000);
  });

  it('returns what an async handler returns, and what a callback handler passes back', async () => {
    const asyncFile = handlerFile('async', 'export const handler = async (event) => ({ got: event.n });');
    const callbackFile = handlerFile(
      'callback',
      'export const handler = (event, context, cb) => { cb(null, event.n * 2); };',
    );
    expect(await invoke({ root: dir, file: asyncFile, timeoutMs: 1000 }, { n: 2 })).toEqual({ got: 2 });
    expect(await invoke({ root: dir, file: callbackFile, timeoutMs: 1000 }, { n: 2 })).toBe(4);
  });

  it('rejects with the handler’s error, or InvocationTimeout when it runs too long', async () => {
    const failing = handlerFile('failing', 'export const handler = async () => { throw new Error("boom"); };');
    const hanging = handlerFile('hanging', 'export const handler = () => new Promise(() => {});');
    await expect(invoke({ root: dir, file: failing, timeoutMs: 1000 }, {})).rejects.toThrow('boom');
    await expect(invoke({ root: dir, file: hanging, timeoutMs: 50 }, {})).rejects.toBeInstanceOf(InvocationTimeout);
  });

  it('refuses a module without a handler export', async () => {
    const none = handlerFile('none', 'export const other = 1;');
    await expect(invoke({ root: dir, file: none, timeoutMs: 1000 }, {})).rejects.toThrow(
      'does not export a function named handler',
    );
  });

  it('keeps overlapping invocations apart, as the gateway runs them: each bug is logged with its own request id', async () => {
    runInvocationsConcurrently();
    // A route of the real HTTP pipeline whose invocations all wait until two are running, then fail.
    const file = join(dir, 'overlapping.ts');
    writeFileSync(
      file,
      `import { httpHandler } from ${JSON.stringify(join(projectRoot, 'shared/http/handler.ts'))};
      let running = 0;
      let release;
      const bothRunning = new Promise((resolve) => { release = resolve; });
      export const handler = httpHandler({
        action: 'health.check',
        auth: false,
        async run() {
          if (++running === 2) release();
          await bothRunning;
          throw new Error('a bug');
        },
      });`,
    );
    const request = (routeKey: string, requestId: string) => ({
      version: '2.0',
      routeKey,
      rawPath: '/',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { requestId, routeKey, http: { method: 'GET', path: '/', sourceIp: '127.0.0.1' } },
    });
    const printed = await printedLinesOf(async () => {
      await Promise.all([
        invoke({ root: dir, file, timeoutMs: 5000 }, request('GET /first', 'first-request')),
        invoke({ root: dir, file, timeoutMs: 5000 }, request('GET /second', 'second-request')),
      ]);
    }, ['stdout', 'stderr']);
    const lines = printed.map((line) => JSON.parse(line) as { message: string; route: string; requestId: string });
    const pairs = (message: string) =>
      lines
        .filter((line) => line.message === message)
        .map(({ route, requestId }) => ({ route, requestId }))
        .sort((a, b) => a.route.localeCompare(b.route));
    expect(pairs('request')).toEqual([
      { route: 'GET /first', requestId: 'first-request' },
      { route: 'GET /second', requestId: 'second-request' },
    ]);
    expect(pairs('request failed')).toEqual(pairs('request'));
  });

  it('records each invocation: the first of a function cold (its module imported), later ones warm, failures too', async () => {
    const seen: Invocation[] = [];
    observeInvocations((invocation) => seen.push(invocation));
    try {
      const file = handlerFile(
        'observed',
        'export const handler = async (event) => { if (event.fail) throw new Error("no"); return 1; };',
      );
      await invoke({ root: projectRoot, file, timeoutMs: 1000 }, {});
      await invoke({ root: projectRoot, file, timeoutMs: 1000 }, {});
      await expect(invoke({ root: projectRoot, file, timeoutMs: 1000 }, { fail: true })).rejects.toThrow('no');
    } finally {
      observeInvocations(undefined);
    }
    expect(seen.map(({ cold, failed }) => ({ cold, failed }))).toEqual([
      { cold: true, failed: false },
      { cold: false, failed: false },
      { cold: false, failed: true },
    ]);
    expect(seen[1]?.initMs).toBe(0);
    for (const invocation of seen) expect(invocation.durationMs).toBeGreaterThanOrEqual(0);
  });
});
