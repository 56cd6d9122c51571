// The local stand-in for API Gateway: the HTTP API and the WebSocket API (with @connections) on their
// own ports, and the scheduled jobs. It calls the same handler files the stack deploys.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invoke } from '../lambda.js';
import { scheduledEvent } from './events.js';
import { httpGateway } from './http.js';
import { indexPage } from './index-page.js';
import type { GatewayRoutes } from './routes.js';
import { wsGateway } from './ws.js';

export interface GatewayOptions {
  /** Handler paths in the route table are relative to this directory. */
  root: string;
  routes: GatewayRoutes;
  httpPort: number;
  wsPort: number;
  host?: string;
  webOrigins: readonly string[];
  webDist?: string;
  /** Seconds between runs of every scheduled job; 0 or absent: jobs do not run. */
  scheduleSeconds?: number;
  /** Shown on the page at `/` while there is no web app. */
  mailViewerUrl?: string;
  /** Host origins whose pages may frame the chat (`/embed`); the web app reads them from /config.json. */
  embedOrigins?: readonly string[];
  /** The S3 emulator's origin (the web app's CSP lets it upload there). */
  evidenceOrigin?: string;
  stage?: string;
  integrationTimeoutMs?: number;
  wsIntegrationTimeoutMs?: number;
  payloadLimit?: number;
  wsMessageLimit?: number;
  wsIdleMs?: number;
  wsMaxLifetimeMs?: number;
  report?(message: string): void;
}

export interface Gateway {
  httpUrl: string;
  wsUrl: string;
  httpPort: number;
  wsPort: number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const report = options.report ?? ((message: string) => console.error(message));
  const httpServer = createServer();
  const wsServer = createServer();
  const ws = wsGateway(wsServer, {
    root: options.root,
    routes: options.routes,
    api: { apiId: 'atendewsapi', stage: options.stage ?? 'local' },
    integrationTimeoutMs: options.wsIntegrationTimeoutMs ?? 29_000,
    messageLimit: options.wsMessageLimit ?? 128 * 1024,
    idleMs: options.wsIdleMs ?? 10 * 60_000,
    maxLifetimeMs: options.wsMaxLifetimeMs ?? 2 * 60 * 60_000,
    report,
  });
  let urls = { http: '', ws: '', mail: options.mailViewerUrl };
  let wsPort = options.wsPort;
  httpServer.on(
    'request',
    httpGateway({
      root: options.root,
      routes: options.routes,
      api: { apiId: 'atendehttp', stage: '$default' },
      webOrigins: options.webOrigins,
      webDist: options.webDist,
      integrationTimeoutMs: options.integrationTimeoutMs ?? 30_000,
      payloadLimit: options.payloadLimit ?? 10 * 1024 * 1024,
      indexPage: () => indexPage(options.routes, urls),
      wsPort: () => wsPort,
      embedOrigins: options.embedOrigins,
      evidenceOrigin: options.evidenceOrigin,
      report,
    }),
  );
  const httpPort = await listen(httpServer, options.httpPort, host);
  try {
    wsPort = await listen(wsServer, options.wsPort, host);
  } catch (error) {
    await closeServer(httpServer);
    throw error;
  }
  urls = { http: `http://localhost:${httpPort}`, ws: `ws://localhost:${wsPort}`, mail: options.mailViewerUrl };
  const stopJobs = schedule(options, report);
  return {
    httpUrl: urls.http,
    wsUrl: urls.ws,
    httpPort,
    wsPort,
    async close() {
      stopJobs();
      await ws.close();
      await Promise.all([closeServer(httpServer), closeServer(wsServer)]);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** EventBridge rules, locally: every job every `scheduleSeconds`, never two runs of one job at once. */
function schedule(options: GatewayOptions, report: (message: string) => void): () => void {
  const seconds = options.scheduleSeconds ?? 0;
  if (seconds <= 0) return () => {};
  const timers = options.routes.scheduledJobs.map((job) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      invoke({ root: options.root, file: job.handler, timeoutMs: 15 * 60_000 }, scheduledEvent(job.name, new Date()))
        .catch((error) => report(`scheduled job ${job.name} failed: ${(error as Error).stack ?? error}`))
        .finally(() => {
          running = false;
        });
    }, seconds * 1000);
  });
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
