import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functionNameOf, InvocationTimeout, invoke, lambdaContext } from '../../../../infra/local/lambda.js';

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
});
