// API Gateway closes every WebSocket connection after 2 hours, however busy it is. The test gateway gets a
// lifetime of a fraction of a second instead (the same option the 2 hours are the default of).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRoutes } from '../../../../../infra/local/gateway/routes.js';
import { type Gateway, startGateway } from '../../../../../infra/local/gateway/server.js';
import { projectRoot } from '../../../../../infra/local/paths.js';
import { disconnectOf } from '../../../../integration/foundation/fixtures/recorder.js';
import { eventually } from '../../../../support/eventually.js';
import { connectWs } from '../../../../support/ws.js';

const fixture = (name: string) => `test/integration/foundation/fixtures/${name}.ts`;
const routes: GatewayRoutes = {
  httpRoutes: [],
  wsRoutes: ['$connect', '$disconnect', 'echo'].map((routeKey) => ({ routeKey, handler: fixture('ws-route') })),
  wsAuthorizer: { handler: fixture('ws-authorizer'), identityQueryParameter: 'ticket' },
  scheduledJobs: [],
};

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway({
    root: projectRoot,
    routes,
    httpPort: 0,
    wsPort: 0,
    webOrigins: [],
    // Idle connections would close after a minute: only the lifetime can end this one.
    wsIdleMs: 60_000,
    wsMaxLifetimeMs: 1000,
    report: () => {},
  });
});
afterAll(() => gateway.close());

describe('the connection duration limit', () => {
  it('closes a busy connection once its lifetime is over, with 1001, and runs $disconnect', async () => {
    const ws = await connectWs({ ticket: 'allow-lifetime' }, { url: gateway.wsUrl });
    // Busy all along: every message is answered, so the connection is never idle.
    const chatter = setInterval(() => ws.send({ action: 'echo', n: Date.now() }), 50);
    try {
      const closed = await ws.closed;
      expect(closed.code).toBe(1001);
      expect(ws.frames.some((frame) => frame.route === 'echo')).toBe(true);
    } finally {
      clearInterval(chatter);
    }
    const { event } = await eventually(() => disconnectOf('lifetime'), '$disconnect after the lifetime');
    expect(event.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: 'Connection duration limit',
    });
  });
});
