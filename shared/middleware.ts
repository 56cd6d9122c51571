// The middy middlewares the HTTP and WebSocket pipelines share (shared/http/handler.ts, shared/ws/handler.ts):
// one concern each, each a factory of `{ before, after, onError }`. What a request has established so far (its
// id, principal, audit resource, validated input) lives in one RequestState that `requestLog` starts and every
// later middleware and the handler body read through `stateOf`. It rides on the Lambda context, not on
// middy's `request.internal`, because middy hands its handler body only the event and the context.
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { bearerToken, verifyAccessToken } from './auth/access-tokens.js';
import type { Principal, Role } from './domain/roles.js';
import {
  type AppError,
  Forbidden,
  MalformedJson,
  PayloadTooLarge,
  toAppError,
  Unauthenticated,
  UnsupportedMediaType,
} from './errors.js';
import { logger, logRequest, type RequestLogFields } from './observability/logger.js';
import { parse, type Schema } from './validation.js';

export interface RequestState {
  startedAt: number;
  /** The id echoed to the caller: its own when it sent a valid one, else API Gateway's. */
  requestId: string;
  clientRequestId?: string;
  principal?: Principal;
  resource?: { type: string; id?: string };
  /** What the request carried, parsed and validated step by step (`params`, `query`, `body`, `frame`, …). */
  input: Record<string, unknown>;
}

type Request<E> = middy.Request<E, unknown, Error, Context>;
export type Middleware<E> = middy.MiddlewareObj<E, unknown, Error, Context>;

/** The events both pipelines receive carry API Gateway's request id. */
interface GatewayEvent {
  requestContext: { requestId: string };
  body?: string;
  isBase64Encoded?: boolean;
}

type StatefulContext = Context & { requestState: RequestState };

/** The state of the request being handled; `requestLog` must come first in the chain. */
export const stateOf = (context: Context): RequestState => (context as StatefulContext).requestState;

/**
 * Exactly one request line per request, errors included (shared/observability/logger.ts). Its `before`
 * starts the request's state on a context of its own, so a caller that reuses one context object for
 * several invocations (tests, the local gateway) never sees one request's state in another. Being first in
 * the chain, its `after` and `onError` run last: the request id stays on diagnostic lines until then.
 */
export function requestLog<E extends GatewayEvent>(options: {
  action: string;
  /** The route and where the request came from. */
  origin(event: E): Pick<RequestLogFields, 'route' | 'sourceIp' | 'userAgent' | 'traceHeader' | 'connectionId'>;
  /** What a response the handler returned answered with; default 200. */
  outcome?(response: unknown): { status: number; errorCode?: string };
}): Middleware<E> {
  const write = (
    request: Request<E>,
    { status, errorCode, reason }: { status: number; errorCode?: string; reason?: string },
  ) => {
    const state = stateOf(request.context);
    logRequest({
      requestId: request.event.requestContext.requestId,
      clientRequestId: state.clientRequestId,
      lambdaRequestId: request.context.awsRequestId,
      functionName: request.context.functionName,
      ...options.origin(request.event),
      status,
      latencyMs: Date.now() - state.startedAt,
      principal: state.principal,
      action: options.action,
      resource: state.resource,
      errorCode,
      reason,
    });
  };
  return {
    before(request) {
      const requestState: RequestState = {
        startedAt: Date.now(),
        requestId: request.event.requestContext.requestId,
        input: {},
      };
      request.context = Object.assign(Object.create(request.context) as Context, { requestState });
      // Every diagnostic line of this invocation (a 5xx's stack, a failed push) carries the request line's id.
      logger.appendKeys({ requestId: requestState.requestId });
    },
    after(request) {
      write(request, options.outcome?.(request.response) ?? { status: 200 });
      logger.removeKeys(['requestId']);
    },
    onError(request) {
      const error = toAppError(request.error);
      write(request, { status: error.status, errorCode: error.code, reason: error.reason });
      logger.removeKeys(['requestId']);
    },
  };
}

/** Any failure becomes the contract's error answer; an unexpected one is logged with its stack first. */
export function errorResponse<E>(options: {
  route(event: E): string;
  render(error: AppError, requestId: string): unknown;
}): Middleware<E> {
  return {
    onError(request) {
      const error = toAppError(request.error);
      if (error.status >= 500) {
        logger.error('request failed', { route: options.route(request.event), error: request.error as Error });
      }
      request.response = options.render(error, stateOf(request.context).requestId);
    },
  };
}

/**
 * Names the audit resource before any refusal, so a refused attempt on a ticket still shows among that
 * ticket's accesses.
 */
export function auditResource<E>(options: { type: string; id?(request: Request<E>): unknown }): Middleware<E> {
  return {
    before(request) {
      const id = options.id?.(request);
      stateOf(request.context).resource = { type: options.type, id: typeof id === 'string' ? id : undefined };
    },
  };
}

/**
 * Who the request says it comes from, unchecked against today's access: the principal of a valid access
 * token in an `authorization: Bearer …` header (HTTP routes verify it here, in the route's own function,
 * with no API Gateway authorizer before it), or undefined for a missing, forged, expired or malformed one.
 */
export async function accessTokenClaims(authorization: string | undefined): Promise<Principal | undefined> {
  const token = bearerToken(authorization);
  return token ? verifyAccessToken(token) : undefined;
}

/**
 * The principal the request claims (`claims`: an HTTP request's access token, a WebSocket connection's
 * `$connect` authorizer context), as it stands now (`current`: its present role, status and groups, or
 * nothing when its access was revoked since); without one → 401 when required, a role not allowed → 403.
 * A revoked principal stays on the request line, so the audit trail shows who was refused.
 */
export function authorization<E>(options: {
  claims(event: E): Principal | undefined | Promise<Principal | undefined>;
  required: boolean;
  roles?: readonly Role[];
  current?(claimed: Principal): Promise<Principal | undefined>;
}): Middleware<E> {
  return {
    async before(request) {
      const state = stateOf(request.context);
      const claimed = await options.claims(request.event);
      state.principal = claimed;
      const principal = claimed && options.current ? await options.current(claimed) : claimed;
      if (claimed && !principal) {
        if (options.required) throw new Unauthenticated('access was revoked; sign in again').because('access_revoked');
        state.principal = undefined;
      } else state.principal = principal;
      if (options.required && !principal) throw new Unauthenticated();
      if (options.roles && (!principal || !options.roles.includes(principal.role))) throw new Forbidden();
    },
  };
}

/**
 * Validates inputs in the order given; each lands in the state's `input` under its name, as its schema
 * outputs it (or as read, without a schema).
 */
export function validation<E>(
  inputs: Record<string, { schema?: Schema; read(request: Request<E>): unknown }>,
): Middleware<E> {
  return {
    before(request) {
      const { input } = stateOf(request.context);
      for (const [name, { schema, read }] of Object.entries(inputs)) {
        const raw = read(request);
        input[name] = schema ? parse(schema, raw, '') : raw;
      }
    },
  };
}

/**
 * A JSON payload: over the limit → 413, of a type not accepted → 415, unreadable → malformed_json. With
 * `form`, a payload that `form` recognizes (an HTML form's `application/x-www-form-urlencoded`) is read as
 * its fields instead.
 */
export function jsonPayload<E extends GatewayEvent>(options: {
  /** Where the parsed payload lands in the state's `input`. */
  name: string;
  limit(event: E): number;
  accepts?(event: E): boolean;
  form?(event: E): boolean;
}): Middleware<E> {
  return {
    before(request) {
      const { body, isBase64Encoded } = request.event;
      const raw = body === undefined ? '' : isBase64Encoded ? Buffer.from(body, 'base64') : body;
      const limit = options.limit(request.event);
      if (Buffer.byteLength(raw) > limit) throw new PayloadTooLarge(limit);
      if (options.accepts && !options.accepts(request.event)) throw new UnsupportedMediaType();
      if (options.form?.(request.event)) {
        stateOf(request.context).input[options.name] = Object.fromEntries(new URLSearchParams(raw.toString()));
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        throw new MalformedJson();
      }
      stateOf(request.context).input[options.name] = payload;
    },
  };
}
