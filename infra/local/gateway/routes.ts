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
  /**
   * Runs for every `auth: true` route. Identity source: the named header (default `authorization`, as CDK's
   * default), whose value is also the cache key; `null`: no identity source, so no cache either.
   */
  httpAuthorizer?: { handler: string; identityHeader?: string | null; resultsCacheTtlSeconds?: number };
  httpCors?: GatewayCors;
  wsRoutes: readonly { routeKey: string; handler: string }[];
  /** Runs at `$connect`; identity source: the named query parameter. */
  wsAuthorizer?: { handler: string; identityQueryParameter: string };
  scheduledJobs: readonly { name: string; handler: string; everyMinutes: number }[];
}

/** CDK's HttpLambdaAuthorizer caches results for 5 minutes unless told otherwise. */
export const defaultAuthorizerCacheSeconds = 300;
