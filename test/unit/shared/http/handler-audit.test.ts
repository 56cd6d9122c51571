// The request line as the HTTP pipeline writes it: what reaches the audit trail from a real handler,
// and what never does, whatever the request carried.
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { issueAccessToken } from '../../../../shared/auth/access-tokens.js';
import { ValidationFailed } from '../../../../shared/errors.js';
import { type HttpEvent, httpHandler, noContent, ok } from '../../../../shared/http/handler.js';
import { logger } from '../../../../shared/observability/logger.js';
import { printedLines } from '../observability/printed.js';

// The pipeline unit alone: the caller's current access (a table read) is what its access token says.
vi.mock('../../../../shared/auth/current-principal.js', () => ({
  currentPrincipal: async (claimed: unknown) => claimed,
}));

// An anonymous route takes one request of its source IP's limit (shared/http/anonymous-limit.ts): allowed here.
const dynamo = mockClient(DynamoDBDocumentClient);
beforeAll(() => {
  process.env.TABLE_NAME ??= 'atende';
  process.env.JWT_SECRET ??= 'unit-test-jwt-secret-for-the-pipeline-0001';
});
beforeEach(() => {
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({});
});

const secrets = {
  password: 'correct-horse-battery-staple',
  bearer: 'eyJhbGciOiJFUzI1NiJ9.secret-payload.secret-signature',
  cookie: 'session=cookie-secret',
  refreshToken: 'refresh-token-secret-4f9a',
};

function event(overrides: { body?: string; headers?: Record<string, string> } = {}): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /auth/login',
    rawPath: '/auth/login',
    rawQueryString: `refreshToken=${secrets.refreshToken}`,
    queryStringParameters: { refreshToken: secrets.refreshToken },
    cookies: [secrets.cookie],
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${secrets.bearer}`,
      'user-agent': 'vitest',
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
      ...overrides.headers,
    },
    body: overrides.body ?? JSON.stringify({ email: 'Ana@Example.com', password: secrets.password }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: 'gateway-request-id',
      routeKey: 'POST /auth/login',
      stage: '$default',
      time: '01/Mar/2025:09:00:00 +0000',
      timeEpoch: 0,
      http: { method: 'POST', path: '/auth/login', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
    },
  } as HttpEvent;
}

const context = { functionName: 'atende-http-auth-login', awsRequestId: 'lambda-request-id' } as Context;

const Login = z.strictObject({ email: z.email(), password: z.string().min(10) });

// A sign-in route shaped like the real one: names the account, and who signed in when it worked.
const login = httpHandler({
  action: 'auth.login',
  auth: false,
  body: Login,
  async run({ body, setResource, setPrincipal }) {
    setResource('account', body.email.toLowerCase());
    if (body.password !== secrets.password) throw ValidationFailed.of('password', 'wrong');
    setPrincipal({ userId: '01ANA', role: 'customer', groupIds: ['G1'], name: 'Ana', email: 'ana@example.com' });
    return ok({ accessToken: secrets.bearer, refreshToken: secrets.refreshToken });
  },
});

/** Runs one request and returns the request line it printed (and any other line, to search for leaks). */
async function audited(handler: typeof login, e: HttpEvent) {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => chunks.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    await handler(e, context);
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  const printed = chunks.join('');
  const line = printed
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((l) => l.kind === 'request');
  return { line, printed };
}

describe('the HTTP pipeline writes one request line per request', () => {
  it('naming who signed in and the account, and nothing of the password, token, cookie or query', async () => {
    const { line, printed } = await audited(login, event());
    expect(line).toMatchObject({
      requestId: 'gateway-request-id',
      lambdaRequestId: 'lambda-request-id',
      functionName: 'atende-http-auth-login',
      traceId: '1-67891233-abcdef012345678912345678',
      route: 'POST /auth/login',
      status: 200,
      outcome: 'success',
      action: 'auth.login',
      principal: { userId: '01ANA', role: 'customer', groupIds: ['G1'] },
      resource: { type: 'account', id: 'ana@example.com' },
      sourceIp: '203.0.113.9',
      userAgent: 'vitest',
    });
    for (const secret of Object.values(secrets)) expect(printed).not.toContain(secret);
  });

  it('keeps the caller anonymous when a sign-in fails, still naming the account', async () => {
    const { line, printed } = await audited(
      login,
      event({ body: JSON.stringify({ email: 'ana@example.com', password: 'wrong-password-123' }) }),
    );
    expect(line).toMatchObject({ status: 400, outcome: 'invalid', principal: null, errorCode: 'validation_failed' });
    expect(line.resource).toEqual({ type: 'account', id: 'ana@example.com' });
    expect(printed).not.toContain('wrong-password-123');
  });

  it('carries the client request id it was given next to the gateway one', async () => {
    const { line } = await audited(login, event({ headers: { 'x-request-id': 'client-chosen.id_1' } }));
    expect(line).toMatchObject({ requestId: 'gateway-request-id', clientRequestId: 'client-chosen.id_1' });
  });

  it.each([
    ['not JSON', { body: `{"password":"${secrets.password}"` }, 400, 'malformed_json'],
    ['without a JSON content type', { headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
    [
      'over the body limit',
      { body: JSON.stringify({ password: secrets.password.repeat(5000) }) },
      413,
      'payload_too_large',
    ],
  ])('logs a body %s as invalid, without the body', async (_, overrides, status, errorCode) => {
    const { line, printed } = await audited(login, event(overrides));
    expect(line).toMatchObject({ status, outcome: 'invalid', errorCode, resource: null });
    expect(printed).not.toContain(secrets.password);
  });

  it('logs a caller kept out by its role as denied, with who it was and what it tried to touch', async () => {
    const agentsOnly = httpHandler({
      action: 'ticket.update',
      roles: ['agent'],
      resource: { type: 'ticket', param: 'id' },
      run: async () => noContent(),
    });
    const token = await issueAccessToken({
      userId: '01OLGA',
      role: 'auditor',
      groupIds: [],
      name: 'Olga',
      email: 'o@example.com',
    });
    const e = event({ headers: { authorization: `Bearer ${token}` } });
    e.pathParameters = { id: 'T9' };
    const { line } = await audited(agentsOnly, e);
    expect(line).toMatchObject({
      status: 403,
      outcome: 'denied',
      errorCode: 'forbidden',
      action: 'ticket.update',
      principal: { userId: '01OLGA', role: 'auditor', groupIds: [] },
      resource: { type: 'ticket', id: 'T9' },
    });
    expect(JSON.stringify(line)).not.toContain('o@example.com');
  });

  it("prints a bug's stack with the request id of its request line, and that id on nothing after it", async () => {
    const broken = httpHandler({
      action: 'auth.login',
      auth: false,
      run: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const { line, printed } = await audited(broken, event());
    const failure = printed
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.message === 'request failed');
    expect(line).toMatchObject({ requestId: 'gateway-request-id', status: 500, outcome: 'error' });
    expect(failure).toMatchObject({
      level: 'ERROR',
      requestId: line.requestId,
      route: 'POST /auth/login',
      error: { name: 'TypeError' },
    });
    expect(failure.error.stack.length).toBeGreaterThan(0);
    const after = printedLines(() => logger.warn('after the request'), ['stdout', 'stderr']);
    expect(JSON.parse(after[0] ?? '{}')).not.toHaveProperty('requestId');
  });

  it('logs a bug as an error without the input that caused it', async () => {
    const broken = httpHandler({
      action: 'auth.login',
      auth: false,
      body: Login,
      run: async ({ body }) => {
        throw new Error(`could not handle ${JSON.stringify(body)}`);
      },
    });
    const { line } = await audited(broken, event());
    expect(line).toMatchObject({ status: 500, outcome: 'error', errorCode: 'internal' });
    expect(JSON.stringify(line)).not.toContain(secrets.password);
  });
});
