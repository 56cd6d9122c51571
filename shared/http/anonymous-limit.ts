// The per-source-IP limit of the anonymous routes (api.md, "Limits against abuse"): every sign-in, refresh,
// reset and invitation lookup from one address counts, whatever its outcome, so a flood from one address
// is refused (429 with retry-after) before any password is hashed or token looked up. Generous by default
// (300 per 5 minutes, ATENDE_ANONYMOUS_LIMIT), so an office behind one NAT is never refused.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../config.js';
import { anonymousPaths, limits } from '../domain/limits.js';
import { enforce } from '../limits/limiter.js';
import type { Middleware } from '../middleware.js';

export function anonymousLimit<E extends APIGatewayProxyEventV2>(): Middleware<E> {
  return {
    async before(request) {
      const { routeKey, requestContext } = request.event;
      const path = routeKey.slice(routeKey.indexOf(' ') + 1);
      if (!anonymousPaths.some((pattern) => pattern.test(path))) return;
      const { sourceIp } = requestContext.http;
      await enforce('anonymous', sourceIp, limits.anonymousPerIp(config.anonymousLimit), { sourceIp, route: routeKey });
    },
  };
}
