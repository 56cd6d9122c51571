// One Lambda function serving several routes (infra/routes.ts groups them, functionGroups): the event names
// its route, a table names the route's handler. The table is generated from the route table when the function
// is bundled (infra/function-groups.ts), so this module knows no route.
import type { Context } from 'aws-lambda';

// biome-ignore lint/suspicious/noExplicitAny: each handler takes the event of its own trigger.
export type RouteHandler = (event: any, context: Context) => Promise<unknown>;

/** The route key of the WebSocket API's `$connect` authorizer, which runs in the same function as the WebSocket routes. */
export const connectAuthorizerKey = '$connect authorizer';

/**
 * The route an event is for: an HTTP API payload 2.0 event's `routeKey` (`GET /tickets/{id}`, `$default`), a
 * WebSocket event's `requestContext.routeKey` (`$connect`, `message.send`), or the `$connect` authorizer's
 * REQUEST event.
 */
export function routeKeyOf(event: unknown): string | undefined {
  const e = event as { type?: unknown; routeKey?: unknown; requestContext?: { routeKey?: unknown } } | null;
  if (e?.type === 'REQUEST') return connectAuthorizerKey;
  if (typeof e?.routeKey === 'string') return e.routeKey;
  const key = e?.requestContext?.routeKey;
  return typeof key === 'string' ? key : undefined;
}

/** The function's handler: the handler of the event's route; an event for no route of the table is a wiring bug. */
export function router(handlers: Readonly<Record<string, RouteHandler>>): RouteHandler {
  return (event, context) => {
    const key = routeKeyOf(event);
    const handler = key !== undefined && Object.hasOwn(handlers, key) ? handlers[key] : undefined;
    if (!handler) throw new Error(`${context.functionName} serves no route ${key ?? '(none in the event)'}`);
    return handler(event, context);
  };
}
