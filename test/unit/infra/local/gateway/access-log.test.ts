// Requests the local gateway refuses by itself, before any function runs, leave what API Gateway's access
// log would hold of them (deployed, the "Failed and denied requests" query reads those lines). The gateway
// runs here on its own servers, with the fidelity tests' fixture handlers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGateway } from '../../../../../infra/local/gateway/http.js';
import type { GatewayRoutes } from '../../../../../infra/local/gateway/routes.js';
import { wsGateway } from '../../../../../infra/local/gateway/ws.js';
import { projectRoot } from '../../../../../infra/local/paths.js';
import type { AccessLine } from '../../../../../infra/local/request-log.js';
import { callsOf } from '../../../../integration/foundation/fixtures/recorder.js';
import { connectWs, refusedWs } from '../../../../support/ws.js';

const fixture = (name: string) => `test/integration/foundation/fixtures/${name}.ts`;
const routes: GatewayRoutes = {
  httpRoutes: [{ method: 'GET', path: '/private', handler: fixture('http-route'), auth: true }],
  wsRoutes: ['$connect', '$disconnect'].map((routeKey) => ({ routeKey, handler: fixture('ws-route') })),
  wsAuthorizer: { handler: fixture('ws-authorizer'), identityQueryParameter: 'ticket' },
  scheduledJobs: [],
};

const accessLines: AccessLine[] = [];
const servers: Server[] = [];
let http: string;
let ws: string;
let closeWs: () => Promise<void>;

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const common = {
    root: projectRoot,
    routes,
    report: () => {},
    accessLog: (line: AccessLine) => accessLines.push(line),
  };
  const httpServer = createServer();
  httpServer.on(
    'request',
    httpGateway({
      ...common,
      api: { apiId: 'testhttp', stage: '$default' },
      webOrigins: [],
      integrationTimeoutMs: 5000,
      payloadLimit: 1024,
      indexPage: () => '',
      wsPort: () => 0,
    }),
  );
  http = `http://127.0.0.1:${await listen(httpServer)}`;
  const wsServer = createServer();
  const gateway = wsGateway(wsServer, {
    ...common,
    api: { apiId: 'testws', stage: 'local' },
    integrationTimeoutMs: 5000,
    messageLimit: 128 * 1024,
    idleMs: 60_000,
    maxLifetimeMs: 60_000,
  });
  closeWs = gateway.close;
  ws = `ws://127.0.0.1:${await listen(wsServer)}`;
});

afterAll(async () => {
  await closeWs();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The access lines the next action leaves. */
async function linesOf(act: () => Promise<unknown>): Promise<AccessLine[]> {
  const before = accessLines.length;
  await act();
  return accessLines.slice(before);
}

describe('connections the WebSocket API refuses by itself', () => {
  it('leave an access line for a $connect without its ticket, refused before the authorizer runs', async () => {
    const authorizerCalls = callsOf('ws-authorizer').length;
    let status = 0;
    const lines = await linesOf(async () => {
      status = (await refusedWs({}, { url: ws, headers: { 'user-agent': 'test-agent/1' } })).status;
    });
    expect(status).toBe(401);
    expect(callsOf('ws-authorizer')).toHaveLength(authorizerCalls);
    expect(lines).toEqual([
      {
        requestId: expect.any(String),
        extendedRequestId: expect.any(String),
        requestTime: expect.stringMatching(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/),
        sourceIp: '127.0.0.1',
        userAgent: 'test-agent/1',
        connectionId: expect.any(String),
        eventType: 'CONNECT',
        routeKey: '$connect',
        status: '401',
        integrationLatency: '-',
        integrationError: '-',
        authorizerError: '-',
        error: 'Unauthorized',
      },
    ]);
  });

  it('leave an access line when the authorizer denies, and none for a connection that $connect handled', async () => {
    const denied = await linesOf(() => refusedWs({ ticket: 'deny' }, { url: ws }));
    expect(denied.map((line) => `${line.routeKey} ${line.status} ${line.error}`)).toEqual(['$connect 403 Forbidden']);
    // $connect ran (and answered 403): its function logs the request; the access log holds nothing of ours.
    expect(await linesOf(() => refusedWs({ ticket: 'allow-ana', refuse: '1' }, { url: ws }))).toEqual([]);
    expect(
      await linesOf(async () => {
        const client = await connectWs({ ticket: 'allow-ana' }, { url: ws });
        await client.close();
      }),
    ).toEqual([]);
  });
});

describe('requests the HTTP API refuses by itself', () => {
  it('leave an access line for a body over the payload limit', async () => {
    const lines = await linesOf(async () => {
      expect((await fetch(`${http}/private`, { method: 'POST', body: 'x'.repeat(2048) })).status).toBe(413);
    });
    expect(lines.map((line) => `${line.method} ${line.path} ${line.routeKey} ${line.status} ${line.error}`)).toEqual([
      'POST /private - 413 Request Entity Too Large',
    ]);
    expect(lines.every((line) => line.integrationLatency === '-' && line.integrationStatus === '-')).toBe(true);
  });

  it("leave none for a request a function answered, a signed-in route's included (its function checks the token)", async () => {
    expect(
      await linesOf(async () => {
        expect((await fetch(`${http}/private`)).status).toBe(200);
        const res = await fetch(`${http}/private`, { headers: { authorization: 'Bearer nobody' } });
        expect(res.status).toBe(200);
      }),
    ).toEqual([]);
  });
});
