// The local gateway's events and answers, checked against specifications nobody here wrote (Powertools'
// schemas, @types/aws-lambda and Powertools for Python's models), through real HTTP and WebSocket clients.
// The gateway runs in this process with fixture handlers that record what they receive.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayProxyEventV2Schema,
  APIGatewayProxyWebsocketEventSchema,
} from '@aws-lambda-powertools/parser/schemas';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { localCredentials, localRegion } from '../../../infra/local/environment.js';
import type { GatewayRoutes } from '../../../infra/local/gateway/routes.js';
import { type Gateway, startGateway } from '../../../infra/local/gateway/server.js';
import { projectRoot } from '../../../infra/local/paths.js';
import { httpCors } from '../../../infra/routes.js';
import { logger } from '../../../shared/observability/logger.js';
import { eventually } from '../../support/eventually.js';
import { connectWs, refusedWs, type WsClient } from '../../support/ws.js';
import { callsOf, disconnectOf, type Recorded } from './fixtures/recorder.js';
import {
  connectEventSchema,
  disconnectEventSchema,
  messageEventSchema,
  typesWebsocketEventV2Schema,
} from './websocket-schemas.js';

const fixture = (name: string) => `test/integration/foundation/fixtures/${name}.ts`;
const origin = 'http://app.example.test';

const routes: GatewayRoutes = {
  httpRoutes: [
    ...['/things/{id}', '/slow', '/throws', '/plain', '/binary', '/cookies', '/files/{key+}'].map((path) => ({
      method: 'GET',
      path,
      handler: fixture('http-route'),
      auth: false,
    })),
    { method: 'POST', path: '/things', handler: fixture('http-route'), auth: false },
    { method: 'GET', path: '/private', handler: fixture('http-route'), auth: true },
    { method: 'POST', path: '/echo', handler: fixture('contract-route'), auth: false },
  ],
  httpCors,
  wsRoutes: ['$connect', '$disconnect', '$default', 'echo'].map((routeKey) => ({
    routeKey,
    handler: fixture('ws-route'),
  })),
  wsAuthorizer: { handler: fixture('ws-authorizer'), identityQueryParameter: 'ticket' },
  scheduledJobs: [{ name: 'fixture-job', handler: fixture('scheduled-job'), everyMinutes: 1 }],
};
/** A gateway of these fixture routes on free ports, silent. */
const fixtureGateway = { root: projectRoot, routes, httpPort: 0, wsPort: 0, webOrigins: [origin], report: () => {} };

let gateway: Gateway;
let http: string;
const webDist = mkdtempSync(join(tmpdir(), 'atende-web-'));
const logLevel = logger.getLevelName();

beforeAll(async () => {
  // The contract fixture goes through the real pipeline, whose request log would fill the test output.
  logger.setLogLevel('SILENT');
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(webDist, 'app.js'), 'console.log(1);');
  gateway = await startGateway({
    ...fixtureGateway,
    webDist,
    embedOrigins: ['https://platform.example.com'],
    integrationTimeoutMs: 500,
    scheduleSeconds: 0.2,
  });
  http = gateway.httpUrl;
});

afterAll(async () => {
  await gateway?.close();
  rmSync(webDist, { recursive: true, force: true });
  logger.setLogLevel(logLevel);
});

function valid(schema: z.ZodType, event: unknown) {
  return schema.safeParse(event).error?.issues;
}

/** A request through node:http, which (unlike fetch) sends a repeated header as separate lines. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
  body?: Buffer | string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, http), { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('error', reject);
    req.end(body);
  });
}

const lastCall = (handler: string, where?: (e: Recorded['event']) => boolean) => {
  const calls = callsOf(handler, where);
  const call = calls.at(-1);
  if (!call) throw new Error(`${handler} was not called`);
  return call;
};

const byRequestId = (requestId: string) => (e: Recorded['event']) => e.requestContext?.requestId === requestId;

describe('HTTP API events (payload format 2.0)', () => {
  it('a GET with path parameters, repeated headers and query parameters and cookies matches APIGatewayProxyEventV2Schema', async () => {
    const res = await raw('GET', '/things/a%20b?x=1&x=2&y=z', {
      'x-dup': ['one', 'two'],
      cookie: 'c1=v1; c2=v2',
      'user-agent': 'fidelity-test',
    });
    expect(res.status).toBe(200);
    const { event, context } = lastCall('http', byRequestId(JSON.parse(res.body.toString()).marker));
    expect(valid(APIGatewayProxyEventV2Schema, event)).toBeUndefined();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{id}',
      rawPath: '/things/a%20b',
      rawQueryString: 'x=1&x=2&y=z',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { x: '1,2', y: 'z' },
      pathParameters: { id: 'a b' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /things/{id}',
        stage: '$default',
        http: {
          method: 'GET',
          path: '/things/a%20b',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'fidelity-test',
        },
      },
    });
    const headers = event.headers as Record<string, string>;
    expect(headers['x-dup']).toBe('one,two');
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event).not.toHaveProperty('body');
    expect(res.headers['apigw-requestid']).toBe((event.requestContext as { requestId: string }).requestId);
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.functionName).toMatch(/^atende-/);
    expect(context.invokedFunctionArn).toContain(`:function:${context.functionName}`);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(500);
  });

  it('a greedy path variable takes the rest of the path', async () => {
    const res = await raw('GET', '/files/a/b/c.txt', {});
    const { event } = lastCall('http', byRequestId(JSON.parse(res.body.toString()).marker));
    expect(event.pathParameters).toEqual({ key: 'a/b/c.txt' });
    expect(event.routeKey).toBe('GET /files/{key+}');
  });

  it('a JSON body arrives as text and a binary body base64-encoded', async () => {
    const json = await raw('POST', '/things', { 'content-type': 'application/json' }, '{"a":1}');
    const jsonEvent = lastCall('http', byRequestId(JSON.parse(json.body.toString()).marker)).event;
    expect(valid(APIGatewayProxyEventV2Schema, jsonEvent)).toBeUndefined();
    expect(jsonEvent).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });

    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const png = await raw('POST', '/things', { 'content-type': 'image/png' }, bytes);
    const pngEvent = lastCall('http', byRequestId(JSON.parse(png.body.toString()).marker)).event;
    expect(pngEvent.isBase64Encoded).toBe(true);
    expect(Buffer.from(pngEvent.body as string, 'base64')).toEqual(bytes);
  });

  it('answers as API Gateway does for results without statusCode, binary results, cookies, errors and timeouts', async () => {
    const plain = await fetch(`${http}/plain`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toEqual({ hello: 'world' });

    const binary = await fetch(`${http}/binary`);
    expect(binary.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));

    const cookies = await fetch(`${http}/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    // CORS is configured, so API Gateway drops the integration's own CORS headers.
    expect(cookies.headers.get('access-control-allow-origin')).toBeNull();

    const throws = await fetch(`${http}/throws`);
    expect(throws.status).toBe(500);
    expect(await throws.json()).toEqual({ message: 'Internal Server Error' });

    const slow = await fetch(`${http}/slow`);
    expect(slow.status).toBe(503);
    expect(await slow.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('an unknown route gets the contract not_found body', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/things/1'],
    ] as const) {
      const res = await fetch(`${http}${path}`, { method });
      expect(res.status).toBe(404);
      const body = await res.json();
      expect(body).toEqual({
        error: { code: 'not_found', message: expect.any(String) },
        requestId: expect.any(String),
      });
      expect(res.headers.get('x-request-id')).toBe(body.requestId);
    }
  });

  it('a body over 10 MB is refused with 413 before any function runs', async () => {
    const before = callsOf('http').length;
    const res = await raw(
      'POST',
      '/things',
      { 'content-type': 'application/json' },
      Buffer.alloc(10 * 1024 * 1024 + 1, 32),
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Request Entity Too Large' });
    expect(callsOf('http').length).toBe(before);
  });

  it('answers CORS preflights for the web origin only, and adds CORS headers to its answers', async () => {
    const preflight = (from: string) =>
      fetch(`${http}/things`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('content-type');
    const other = await preflight('http://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const get = await fetch(`${http}/plain`, { headers: { origin } });
    expect(get.headers.get('access-control-allow-origin')).toBe(origin);
    expect(get.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });
});

describe('the web app beside the API on the same origin', () => {
  it('serves the app to a browser navigating to any path, and the API to everything else', async () => {
    const page = await fetch(`${http}/things/1`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>app</title>');
    const api = await fetch(`${http}/things/1`, { headers: { accept: 'application/json' } });
    expect(await api.json()).toHaveProperty('marker');
    const asset = await fetch(`${http}/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(await asset.text()).toBe('console.log(1);');
  });

  it('answers /config.json with the addresses of both APIs', async () => {
    const res = await fetch(`${http}/config.json`);
    expect(await res.json()).toEqual({
      apiUrl: http,
      wsUrl: gateway.wsUrl,
      embedOrigins: ['https://platform.example.com'],
    });
  });

  it('serves nothing outside the app directory', async () => {
    const res = await raw('GET', '/..%2F..%2Fetc%2Fpasswd', { accept: 'text/html' });
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('root:');
  });
});

describe('a signed-in route', () => {
  it('reaches its function with the authorization header and no authorizer: the function verifies the token', async () => {
    const authorization = `Bearer token-${Date.now()}`;
    const res = await fetch(`${http}/private?q=1`, { headers: { authorization } });
    expect(res.status).toBe(200);
    const { event } = lastCall('http', byRequestId((await res.json()).marker));
    expect(valid(APIGatewayProxyEventV2Schema, event)).toBeUndefined();
    expect(event).toMatchObject({ routeKey: 'GET /private', headers: { authorization } });
    expect(event.requestContext?.authorizer).toBeUndefined();
  });
});

describe('bad bodies through the shared HTTP pipeline', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${http}/echo`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('malformed JSON is 400 malformed_json', async () => {
    const res = await post('{"name": ');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('malformed_json');
  });

  it('a body without a JSON content type is 415 unsupported_media_type', async () => {
    const res = await post('name=x', 'text/plain');
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('unsupported_media_type');
  });

  it('a body over the route limit (64 KiB) is 413 payload_too_large', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(64 * 1024) }));
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: 'payload_too_large', message: expect.any(String) },
      requestId: expect.any(String),
    });
  });

  it('unknown and missing fields are 400 validation_failed listing each one', async () => {
    const res = await post(JSON.stringify({ extra: true }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'name', issue: 'required' },
        { path: 'extra', issue: 'unknown field' },
      ]),
    );
  });

  it('a good body passes', async () => {
    const res = await post(JSON.stringify({ name: 'Ana' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'Ana' });
  });
});

describe('WebSocket API events', () => {
  const wsUrl = () => gateway.wsUrl;
  const connect = (query: Record<string, string>, headers?: Record<string, string>) =>
    connectWs(query, { url: wsUrl(), headers });

  it('$connect, its authorizer, messages and $disconnect match their specifications', async () => {
    const name = `bo${Date.now()}`;
    const ws = await connect({ ticket: `allow-${name}`, lang: 'pt-BR' }, { 'X-Fidelity': 'yes' });

    const { event: authorizerEvent } = lastCall(
      'ws-authorizer',
      (e) => (e.queryStringParameters as Record<string, string> | null)?.ticket === `allow-${name}`,
    );
    expect(valid(APIGatewayProxyWebsocketEventSchema, authorizerEvent)).toBeUndefined();
    expect(authorizerEvent).toMatchObject({ type: 'REQUEST', queryStringParameters: { lang: 'pt-BR' } });
    expect(authorizerEvent.methodArn).toMatch(/\/local\/\$connect$/);
    const connectionId = (authorizerEvent.requestContext as { connectionId: string }).connectionId;
    const ofThisConnection = (e: Recorded['event']) => e.requestContext?.connectionId === connectionId;

    const { event: connectEvent } = lastCall(
      'ws',
      (e) => ofThisConnection(e) && e.requestContext?.routeKey === '$connect',
    );
    expect(valid(connectEventSchema, connectEvent)).toBeUndefined();
    expect(connectEvent).not.toHaveProperty('type');
    expect(connectEvent).not.toHaveProperty('methodArn');
    expect((connectEvent.headers as Record<string, string>)['X-Fidelity']).toBe('yes');
    expect(connectEvent.queryStringParameters).toEqual({ ticket: `allow-${name}`, lang: 'pt-BR' });
    expect(connectEvent.requestContext?.authorizer).toMatchObject({ name, role: 'customer', principalId: name });

    ws.send({ action: 'echo', text: 'olá' });
    expect(await ws.next((f) => f.route === 'echo')).toEqual({
      route: 'echo',
      body: JSON.stringify({ action: 'echo', text: 'olá' }),
      binary: false,
    });
    const { event: messageEvent } = lastCall('ws', (e) => ofThisConnection(e) && e.requestContext?.routeKey === 'echo');
    expect(valid(messageEventSchema, messageEvent)).toBeUndefined();
    expect(valid(typesWebsocketEventV2Schema, messageEvent)).toBeUndefined();
    expect(messageEvent).not.toHaveProperty('type');
    expect(messageEvent).not.toHaveProperty('methodArn');
    expect(messageEvent.requestContext?.authorizer).toMatchObject({ name, principalId: name });

    await ws.close(1000);
    const { event: disconnectEvent } = await eventually(
      () => callsOf('ws', (e) => ofThisConnection(e) && e.requestContext?.routeKey === '$disconnect')[0],
      '$disconnect',
    );
    expect(valid(disconnectEventSchema, disconnectEvent)).toBeUndefined();
    expect(disconnectEvent).not.toHaveProperty('type');
    expect(disconnectEvent.requestContext).toMatchObject({ disconnectStatusCode: 1000, authorizer: { name } });
  });

  it('selects the route on the JSON `action`; other actions, non-JSON and binary frames go to $default', async () => {
    const ws = await connect({ ticket: 'allow-route' });
    ws.send({ action: 'nothing-like-this' });
    expect(await ws.next()).toMatchObject({ route: '$default', body: '{"action":"nothing-like-this"}' });
    ws.sendRaw('not json');
    expect(await ws.next()).toMatchObject({ route: '$default', body: 'not json' });
    ws.sendRaw(Buffer.from([1, 2, 3]));
    expect(await ws.next()).toMatchObject({ route: '$default', body: 'AQID', binary: true });
    await ws.close();
  });

  it('refuses the upgrade: no ticket → 401 without invoking the authorizer, Deny → 403, Unauthorized → 401', async () => {
    const before = callsOf('ws-authorizer').length;
    expect((await refusedWs({}, { url: wsUrl() })).status).toBe(401);
    expect((await refusedWs({ other: 'x' }, { url: wsUrl() })).status).toBe(401);
    expect(callsOf('ws-authorizer').length).toBe(before);
    expect((await refusedWs({ ticket: 'deny' }, { url: wsUrl() })).status).toBe(403);
    expect((await refusedWs({ ticket: 'throw' }, { url: wsUrl() })).status).toBe(401);
  });

  it('refuses the upgrade with the status a $connect integration answers', async () => {
    const refused = await refusedWs({ ticket: 'allow-refused', refuse: '1' }, { url: wsUrl() });
    expect(refused.status).toBe(403);
  });

  it('closes the connection with 1009 on a message over 128 KB', async () => {
    const ws = await connect({ ticket: 'allow-big' });
    ws.sendRaw('x'.repeat(128 * 1024 + 1));
    expect((await ws.closed).code).toBe(1009);
  });
});

describe('@connections through @aws-sdk/client-apigatewaymanagementapi, unchanged', () => {
  const client = () =>
    new ApiGatewayManagementApiClient({
      endpoint: gateway.wsUrl.replace('ws://localhost', 'http://127.0.0.1'),
      region: localRegion,
      credentials: localCredentials,
    });

  it('posts to, describes and deletes a connection, then answers 410 Gone', async () => {
    const ws: WsClient = await connectWs(
      { ticket: 'allow-managed' },
      { url: gateway.wsUrl, headers: { 'User-Agent': 'managed-test' } },
    );
    const { event } = lastCall(
      'ws-authorizer',
      (e) => (e.queryStringParameters as Record<string, string>)?.ticket === 'allow-managed',
    );
    const ConnectionId = (event.requestContext as { connectionId: string }).connectionId;
    const sdk = client();

    await sdk.send(new PostToConnectionCommand({ ConnectionId, Data: JSON.stringify({ type: 'pushed' }) }));
    expect(await ws.next((f) => f.type === 'pushed')).toEqual({ type: 'pushed' });

    const described = await sdk.send(new GetConnectionCommand({ ConnectionId }));
    expect(described.ConnectedAt).toBeInstanceOf(Date);
    expect(described.LastActiveAt).toBeInstanceOf(Date);
    expect(described.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'managed-test' });

    await sdk.send(new DeleteConnectionCommand({ ConnectionId }));
    await ws.closed;
    await expect(sdk.send(new PostToConnectionCommand({ ConnectionId, Data: 'x' }))).rejects.toBeInstanceOf(
      GoneException,
    );
    await expect(sdk.send(new GetConnectionCommand({ ConnectionId }))).rejects.toBeInstanceOf(GoneException);
  });

  it('works with a stage in the endpoint path, as deployed (https://{api}.execute-api…/{stage})', async () => {
    const ws = await connectWs({ ticket: 'allow-staged' }, { url: gateway.wsUrl });
    const { event } = lastCall(
      'ws-authorizer',
      (e) => (e.queryStringParameters as Record<string, string>)?.ticket === 'allow-staged',
    );
    const ConnectionId = (event.requestContext as { connectionId: string }).connectionId;
    const staged = new ApiGatewayManagementApiClient({
      endpoint: `${gateway.wsUrl.replace('ws://localhost', 'http://127.0.0.1')}/local`,
      region: localRegion,
      credentials: localCredentials,
    });
    await staged.send(new PostToConnectionCommand({ ConnectionId, Data: '{"type":"staged"}' }));
    expect(await ws.next((f) => f.type === 'staged')).toEqual({ type: 'staged' });
    await ws.close();
  });
});

describe('API Gateway limits on WebSocket connections', () => {
  it('closes an idle connection with 1001 and runs $disconnect', async () => {
    const idle = await startGateway({ ...fixtureGateway, wsIdleMs: 300 });
    try {
      const ws = await connectWs({ ticket: 'allow-idle' }, { url: idle.wsUrl });
      expect((await ws.closed).code).toBe(1001);
      const { event } = await eventually(() => disconnectOf('idle'), '$disconnect after idle');
      expect(event.requestContext).toMatchObject({ disconnectStatusCode: 1001 });
    } finally {
      await idle.close();
    }
  });
});

describe('scheduled jobs', () => {
  it('run on their interval with an EventBridge scheduled event', async () => {
    const { event, context } = await eventually(() => callsOf('job')[0], 'a scheduled run');
    expect(event).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      resources: [expect.stringMatching(/:rule\/fixture-job$/)],
    });
    expect(context.functionName).toMatch(/^atende-/);
  });
});
