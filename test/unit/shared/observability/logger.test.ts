import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  logger,
  logRequest,
  outcomeOf,
  type RequestLogFields,
  withheldMessage,
} from '../../../../shared/observability/logger.js';
import { printedLines } from './printed.js';

const printed = (act: () => void, streams?: readonly ('stdout' | 'stderr')[]): Record<string, unknown>[] =>
  printedLines(act, streams).map((line) => JSON.parse(line));

const fields: RequestLogFields = {
  requestId: 'api-req-1',
  lambdaRequestId: 'lambda-req-1',
  route: 'GET /tickets/{id}',
  status: 200,
  latencyMs: 12,
  principal: { userId: 'U1', role: 'customer', groupIds: ['G1'] },
  action: 'ticket.get',
  resource: { type: 'ticket', id: 'T1' },
  sourceIp: '203.0.113.9',
  userAgent: 'curl/8',
  functionName: 'tickets-get',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the request log line', () => {
  it('carries every field of the audit record, timestamp and level included', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1');
    const [line] = printed(() => logRequest(fields));
    expect(line).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'INFO',
      message: 'request',
      service: 'atende',
      kind: 'request',
      requestId: 'api-req-1',
      lambdaRequestId: 'lambda-req-1',
      traceId: '1-67891233-abcdef012345678912345678',
      route: 'GET /tickets/{id}',
      status: 200,
      latencyMs: 12,
      principal: { userId: 'U1', role: 'customer', groupIds: ['G1'] },
      action: 'ticket.get',
      resource: { type: 'ticket', id: 'T1' },
      outcome: 'success',
      errorCode: null,
      sourceIp: '203.0.113.9',
      userAgent: 'curl/8',
      coldStart: expect.any(Boolean),
      functionName: 'tickets-get',
    });
  });

  it('keeps the fields of an anonymous, refused request present, as nulls', () => {
    const [line] = printed(() =>
      logRequest({ requestId: 'r', route: 'POST /auth/login', status: 401, latencyMs: 3, action: 'auth.login' }),
    );
    expect(line).toMatchObject({
      principal: null,
      resource: null,
      outcome: 'denied',
      errorCode: null,
      sourceIp: null,
      userAgent: null,
      lambdaRequestId: null,
      traceId: null,
    });
  });

  it('prints only the allow-listed fields, whatever a caller passes or another module appends', () => {
    logger.appendKeys({ sessionNote: 'appended elsewhere' });
    const smuggled = {
      ...fields,
      body: { password: 'hunter2-secret' },
      headers: { authorization: 'Bearer eyJsecret' },
      principal: { ...fields.principal, email: 'ana@example.com', name: 'Ana' },
      resource: { type: 'ticket', id: 'T1', description: 'private words' },
    } as RequestLogFields;
    const [line] = printed(() => logRequest(smuggled));
    logger.removeKeys(['sessionNote']);
    const text = JSON.stringify(line);
    for (const leak of ['hunter2', 'eyJsecret', 'ana@example.com', 'Ana', 'private words', 'appended elsewhere']) {
      expect(text).not.toContain(leak);
    }
    expect(line?.principal).toEqual({ userId: 'U1', role: 'customer', groupIds: ['G1'] });
    expect(line?.resource).toEqual({ type: 'ticket', id: 'T1' });
  });

  it('writes its timestamp in UTC even when the machine is in another time zone', () => {
    vi.stubEnv('TZ', 'America/Sao_Paulo');
    const [line] = printed(() => logRequest(fields));
    expect(line?.timestamp).toMatch(/Z$/);
  });

  it('marks the first request a function serves as a cold start, and only the first', () => {
    const functionName = `cold-start-${Math.random()}`;
    const lines = printed(() => {
      logRequest({ ...fields, functionName });
      logRequest({ ...fields, functionName });
    });
    expect(lines.map((l) => l.coldStart)).toEqual([true, false]);
  });

  it('names the error code of a refused request and never of a successful one', () => {
    const lines = printed(() => {
      logRequest({ ...fields, status: 429, errorCode: 'rate_limited' });
      logRequest({ ...fields, status: 201, errorCode: 'rate_limited' });
    });
    expect(lines.map((l) => [l.outcome, l.errorCode])).toEqual([
      ['denied', 'rate_limited'],
      ['success', null],
    ]);
  });

  it('stays on one line of bounded size when a client sends a huge user agent', () => {
    const [line] = printed(() => logRequest({ ...fields, userAgent: 'x'.repeat(100_000) }));
    expect(String(line?.userAgent).length).toBeLessThanOrEqual(512);
  });
});

describe('outcomeOf', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [400, 'invalid'],
    [409, 'invalid'],
    [410, 'invalid'],
    [413, 'invalid'],
    [415, 'invalid'],
    [401, 'denied'],
    [403, 'denied'],
    [404, 'denied'],
    [429, 'denied'],
    [500, 'error'],
    [503, 'error'],
  ] as const)('calls a %i %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});

describe('the diagnostic logger', () => {
  it('redacts values kept under keys that name secrets, however deep', () => {
    const [line] = printed(() =>
      logger.info('diagnostic', {
        password: 'hunter2-secret',
        refreshToken: 'rt-secret',
        request: { headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=secret' }, body: 'message text' },
        ticketId: 'T1',
      }),
    );
    const text = JSON.stringify(line);
    for (const leak of ['hunter2', 'rt-secret', 'eyJsecret', 'sid=secret', 'message text']) {
      expect(text).not.toContain(leak);
    }
    expect(line?.ticketId).toBe('T1');
  });

  it('prints an error with its name and stack frames but never its message, which may quote input', () => {
    const cause = new Error('refresh token rt-hunter2-secret was already used');
    const error = new Error('could not sign in ana@example.com with password hunter2-secret', { cause });
    const [line] = printed(
      () => logger.error('request failed', { route: 'POST /auth/login', error }),
      ['stdout', 'stderr'],
    );
    expect(JSON.stringify(line)).not.toContain('hunter2');
    expect(line?.error).toMatchObject({
      name: 'Error',
      message: withheldMessage,
      location: expect.stringContaining('logger.test.ts'),
      cause: { name: 'Error', message: withheldMessage },
    });
    const stack = (line?.error as { stack?: string[] } | undefined)?.stack ?? [];
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.every((frame) => frame.startsWith('at '))).toBe(true);
    expect(line?.route).toBe('POST /auth/login');
  });

  it('withholds the message of an error passed on its own, such as JSON.parse quoting what it could not read', () => {
    let parseError: Error | undefined;
    try {
      JSON.parse('hunter2-secret');
    } catch (error) {
      parseError = error as Error;
    }
    expect(parseError?.message).toContain('hunter2');
    const [line] = printed(() => logger.error('body not read', parseError as Error), ['stdout', 'stderr']);
    expect(JSON.stringify(line)).not.toContain('hunter2');
    expect(line?.error).toMatchObject({ name: 'SyntaxError', message: withheldMessage });
  });

  it('keeps the code and HTTP status of an error, which name the kind of failure', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), {
      code: 'ECONNREFUSED',
      $metadata: { httpStatusCode: 503, requestId: 'r1' },
    });
    const [line] = printed(() => logger.warn('dependency down', { error }), ['stdout', 'stderr']);
    expect(line?.error).toMatchObject({ code: 'ECONNREFUSED', httpStatusCode: 503 });
  });
});
