import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { toAuthorizerContext } from '../../../../shared/auth/principal.js';
import type { Principal } from '../../../../shared/domain/roles.js';
import { NotFound } from '../../../../shared/errors.js';
import { logger } from '../../../../shared/observability/logger.js';
import { type WsEvent, wsHandler, wsLifecycleHandler } from '../../../../shared/ws/handler.js';

// The pipeline unit alone: the caller's current access (a table read) is what the authorizer said.
vi.mock('../../../../shared/auth/current-principal.js', () => ({
  currentPrincipal: async (claimed: unknown) => claimed,
}));

const customer: Principal = { userId: 'U1', role: 'customer', groupIds: ['G1'], name: 'Ana', email: 'ana@example.com' };
const context = { awsRequestId: 'lambda-1', functionName: 'atende-test' } as Context;

function frame(body: string | object | undefined, principal: Principal | null = customer): WsEvent {
  return {
    body: typeof body === 'object' ? JSON.stringify(body) : body,
    isBase64Encoded: false,
    requestContext: {
      routeKey: 'message.send',
      eventType: 'MESSAGE',
      messageId: 'm-1',
      extendedRequestId: 'gw-1',
      requestTime: new Date().toUTCString(),
      messageDirection: 'IN',
      stage: 'local',
      connectedAt: Date.now(),
      requestTimeEpoch: Date.now(),
      requestId: 'gw-1',
      domainName: 'localhost',
      connectionId: 'conn-1',
      apiId: 'local',
      identity: { sourceIp: '127.0.0.1', userAgent: 'test' },
      authorizer: principal ? { ...toAuthorizerContext(principal), principalId: principal.userId } : undefined,
    },
  };
}

const send = wsHandler({
  action: 'message.send',
  roles: ['customer', 'agent'],
  body: z.strictObject({ ticketId: z.string(), body: z.string().min(1) }),
  resource: { type: 'ticket', field: 'ticketId' },
  async run({ body, principal, connection }) {
    if (body.ticketId === 'missing') throw new NotFound('ticket');
    if (body.ticketId === 'bug') throw new Error('a bug with a secret stack');
    return { type: 'message.ack', ticketId: body.ticketId, by: principal.userId, on: connection.connectionId };
  },
});

// Every frame takes one request of its connection's rate (shared/ws/frame-limits.ts): allowed here.
const dynamo = mockClient(DynamoDBDocumentClient);
beforeAll(() => {
  process.env.TABLE_NAME ??= 'atende';
});

let lines: string[];
beforeEach(() => {
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({});
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

const requestLines = () =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.message === 'request');

async function reply(event: WsEvent) {
  const result = await send(event, context);
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body ?? 'null');
}

describe('WebSocket pipeline', () => {
  it("answers the sender with the handler's frame, echoing its requestId first", async () => {
    const answer = await reply(frame({ action: 'message.send', requestId: 'r-1', ticketId: 'T1', body: 'oi' }));
    expect(answer).toEqual({ type: 'message.ack', requestId: 'r-1', ticketId: 'T1', by: 'U1', on: 'conn-1' });
    expect(Object.keys(answer).slice(0, 2)).toEqual(['type', 'requestId']);
  });

  it("uses API Gateway's request id when the client sent none", async () => {
    const answer = await reply(frame({ action: 'message.send', ticketId: 'T1', body: 'oi' }));
    expect(answer.requestId).toBe('gw-1');
  });

  it('refuses a frame over 32 KiB with payload_too_large', async () => {
    const answer = await reply(frame({ action: 'message.send', ticketId: 'T1', body: 'x'.repeat(33 * 1024) }));
    expect(answer).toMatchObject({ type: 'error', requestId: 'gw-1', error: { code: 'payload_too_large' } });
  });

  it('answers a frame that is not JSON with malformed_json', async () => {
    const answer = await reply(frame('hello {'));
    expect(answer).toMatchObject({ type: 'error', error: { code: 'malformed_json' } });
  });

  it('answers a JSON frame that is not an object with validation_failed', async () => {
    const answer = await reply(frame('[1,2]'));
    expect(answer).toMatchObject({ type: 'error', error: { code: 'validation_failed' } });
  });

  it('names every failing field, unknown fields included, and still echoes the requestId', async () => {
    const answer = await reply(frame({ action: 'message.send', requestId: 'r-2', body: '', extra: 1 }));
    expect(answer.type).toBe('error');
    expect(answer.requestId).toBe('r-2');
    expect(answer.error.code).toBe('validation_failed');
    expect(answer.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body', 'extra', 'ticketId']);
  });

  it('refuses a requestId that could not be echoed safely', async () => {
    const answer = await reply(frame({ action: 'message.send', requestId: 'no spaces <>', ticketId: 'T1', body: 'x' }));
    expect(answer).toMatchObject({ requestId: 'gw-1', error: { code: 'validation_failed' } });
    expect(answer.error.details[0].path).toBe('requestId');
  });

  it('refuses a role the route does not allow with forbidden', async () => {
    const auditor: Principal = { ...customer, role: 'auditor' };
    const answer = await reply(frame({ action: 'message.send', ticketId: 'T1', body: 'x' }, auditor));
    expect(answer).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
  });

  it('answers unauthenticated when the connection carries no principal', async () => {
    const answer = await reply(frame({ action: 'message.send', ticketId: 'T1', body: 'x' }, null));
    expect(answer).toMatchObject({ type: 'error', error: { code: 'unauthenticated' } });
  });

  it("maps the domain's errors to the contract's codes", async () => {
    const answer = await reply(frame({ action: 'message.send', requestId: 'r-3', ticketId: 'missing', body: 'x' }));
    expect(answer).toEqual({
      type: 'error',
      requestId: 'r-3',
      error: { code: 'not_found', message: 'ticket not found' },
    });
  });

  it('answers an unexpected failure with an opaque internal error', async () => {
    const answer = await reply(frame({ action: 'message.send', ticketId: 'bug', body: 'x' }));
    expect(answer).toEqual({
      type: 'error',
      requestId: 'gw-1',
      error: { code: 'internal', message: 'internal error' },
    });
  });

  it("prints a bug's stack with the request id of the frame's request line, and that id on nothing after it", async () => {
    vi.mocked(process.stderr.write).mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    await send(frame({ action: 'message.send', requestId: 'r-5', ticketId: 'bug', body: 'x' }), context);
    logger.warn('after the frame');

    const printed = lines
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const [request] = requestLines();
    const failure = printed.find((l) => l.message === 'request failed');
    expect(request).toMatchObject({ requestId: 'gw-1', status: 500, outcome: 'error' });
    expect(failure).toMatchObject({ level: 'ERROR', requestId: request.requestId, route: 'ws message.send' });
    expect(failure.error.stack.length).toBeGreaterThan(0);
    expect(printed.find((l) => l.message === 'after the frame')).not.toHaveProperty('requestId');
  });

  it('writes exactly one request line per frame, naming the route, connection and resource but no body', async () => {
    await send(frame({ action: 'message.send', requestId: 'r-4', ticketId: 'T9', body: 'segredo' }), context);
    await send(frame({ action: 'message.send', ticketId: 'missing', body: 'x' }), context);

    const [ok, denied] = requestLines();
    expect(requestLines()).toHaveLength(2);
    expect(ok).toMatchObject({
      route: 'ws message.send',
      action: 'message.send',
      status: 200,
      outcome: 'success',
      connectionId: 'conn-1',
      requestId: 'gw-1',
      clientRequestId: 'r-4',
      resource: { type: 'ticket', id: 'T9' },
      principal: { userId: 'U1', role: 'customer', groupIds: ['G1'] },
      sourceIp: '127.0.0.1',
    });
    expect(denied).toMatchObject({ status: 404, outcome: 'denied', errorCode: 'not_found' });
    expect(lines.join('')).not.toContain('segredo');
  });

  it('sends no reply when the handler has nothing to say', async () => {
    const typing = wsHandler({
      action: 'typing',
      async run() {
        return undefined;
      },
    });
    const result = await typing(frame({ action: 'typing' }), context);
    expect(result).toEqual({ statusCode: 200 });
  });
});

describe('connection lifecycle', () => {
  it('refuses the upgrade with the error status when $connect fails', async () => {
    const connect = wsLifecycleHandler({
      action: 'connection.open',
      async run({ headers }) {
        if (headers.origin === 'https://evil.example') throw new NotFound('origin');
      },
    });
    const event = { ...frame(undefined), headers: { Origin: 'https://evil.example' } };
    event.requestContext.routeKey = '$connect';

    const result = await connect(event, context);

    expect(result.statusCode).toBe(404);
    expect(requestLines()[0]).toMatchObject({ route: 'ws $connect', status: 404, resource: { type: 'connection' } });
  });
});
