// What the local gateway needs from a route table. infra/routes.ts satisfies it; fidelity tests pass
// their own, with fixture handlers.
import type { RouteSpec } from './route-match.js';

export interface GatewayHttpRoute extends RouteSpec {
  handler: string;
  auth: boolean;
  memory?: number;
}

export interface GatewayCors {
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
  allowCredentials?: boolean;
}

export interface GatewayRoutes {
  httpRoutes: readonly GatewayHttpRoute[];
  httpCors?: GatewayCors;
  wsRoutes: readonly { routeKey: string; handler: string }[];
  /** Runs at `$connect`; identity source: the named query parameter. */
  wsAuthorizer?: { handler: string; identityQueryParameter: string };
  scheduledJobs: readonly { name: string; handler: string; everyMinutes: number }[];
}
