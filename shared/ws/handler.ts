// The WebSocket pipeline every route handler goes through, the counterpart of shared/http/handler.ts and
// built from the same middy middlewares (shared/middleware.ts): reply frame, request log line, error
// mapping, frame size limit and JSON parsing, the frame's envelope, audit resource, the principal the
// $connect authorizer established and its role, frame validation. A handler supplies only its schema and
// its step.
//
// A route's reply to the sender is the handler's return value (every route has a RouteResponse), an error
// included: `{type: "error", requestId, error: {code, message}}`. Pushes to anyone else go through
// shared/realtime/fanout.ts.
import middy from '@middy/core';
import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { currentPrincipal } from '../auth/current-principal.js';
import { fromAuthorizerContext } from '../auth/principal.js';
import type { Principal, Role } from '../domain/roles.js';
import { type AppError, ValidationFailed } from '../errors.js';
import {
  auditResource,
  authorization,
  errorResponse,
  jsonPayload,
  type Middleware,
  requestLog,
  stateOf,
  validation,
} from '../middleware.js';
import type { ConnectionRef } from '../realtime/connections.js';
import type { ReplyFrame } from '../realtime/frames.js';
import { parse, type Schema } from '../validation.js';
import * as z from '../zod.js';
import { frameRate, oversizeRequestId } from './frame-limits.js';
import { wsFrameLimit } from './protocol.js';

export type WsEvent = APIGatewayProxyWebsocketEventV2 & {
  /** Sent on $connect only. */
  headers?: Record<string, string | undefined>;
  requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & {
    /** The $connect authorizer's context; API Gateway hands it to every later route of the connection. */
    authorizer?: unknown;
    identity?: { sourceIp?: string; userAgent?: string };
  };
};

export interface WsResult {
  statusCode: number;
  body?: string;
}

interface FrameContext<B> {
  principal: Principal;
  /** The frame's fields other than `action` and `requestId`, validated. */
  body: B;
  /** The frame's `action` as sent; only $default has a use for it. */
  action: unknown;
  connection: ConnectionRef;
  requestId: string;
  /** Names what the frame acted on, for the audit line (e.g. the ticket a chat just created). */
  setResource(type: string, id?: string): void;
}

interface FrameOptions<BS extends Schema> {
  /** Domain operation for the audit trail, e.g. `message.send`. */
  action: string;
  /** Roles allowed; others get `forbidden`. Visibility (`not_found`) is the domain's business. */
  roles?: readonly Role[];
  /** Schema of the frame without `action` and `requestId`; default: no other field allowed. */
  body?: BS;
  /** Default audit resource: its type, and the frame field holding its id. */
  resource?: { type: string; field?: string };
  /**
   * false for frames that touch nothing of anyone's (`ping`): they skip the check of the sender's current
   * principal that every other frame makes (shared/auth/current-principal.ts). Default true.
   */
  current?: boolean;
  /** The reply to the sender, or nothing (e.g. `typing`). */
  run(ctx: FrameContext<z.output<BS>>): Promise<ReplyFrame | undefined>;
}

/** What a frame accepts and who may send it, as its handler declares it. */
export interface FrameContract {
  readonly action: string;
  readonly roles?: readonly Role[];
  readonly body: Schema;
  /** The `requestId` a frame may carry. */
  readonly requestId: Schema;
}

const clientRequestId = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, '1–64 characters of A-Z a-z 0-9 . _ -'));
const noFields = z.strictObject({});

/** A handler for frames a client sends on an open connection (every route but $connect and $disconnect). */
export function wsHandler<BS extends Schema = typeof noFields>(options: FrameOptions<BS>) {
  const { resource } = options;
  const fieldsOf = (context: Context) => (stateOf(context).input.frame as Frame).fields;
  const middlewares: Middleware<WsEvent>[] = [
    frameReply(),
    requestLog<WsEvent>({ action: options.action, origin }),
    errorResponse<WsEvent>({ route, render: (error, requestId) => replyWith(errorFrame(error, requestId)) }),
    oversizeRequestId<WsEvent>(() => wsFrameLimit),
    jsonPayload<WsEvent>({ name: 'frame', limit: () => wsFrameLimit }),
    frameEnvelope(),
    frameRate<WsEvent>(),
    ...(resource
      ? [
          auditResource<WsEvent>({
            type: resource.type,
            id: ({ context }) => (resource.field ? fieldsOf(context)[resource.field] : undefined),
          }),
        ]
      : []),
    authorization<WsEvent>({
      claims,
      required: true,
      roles: options.roles,
      ...(options.current === false ? {} : { current: currentPrincipal }),
    }),
    validation<WsEvent>({ body: { schema: options.body ?? noFields, read: ({ context }) => fieldsOf(context) } }),
  ];
  const handler = middy<WsEvent, WsResult>()
    .use(middlewares)
    .handler(async (event, context) => {
      const state = stateOf(context);
      const reply = await options.run({
        principal: state.principal as Principal,
        body: state.input.body as z.output<BS>,
        action: (state.input.frame as Frame).action,
        connection: connectionOf(event),
        requestId: state.requestId,
        setResource: (type, id) => {
          state.resource = { type, id };
        },
      });
      // frameReply (the outermost middleware) turns the reply frame, or none, into the route's response.
      return reply as unknown as WsResult;
    });
  // What the frame accepts, read by the API reference generator (infra/reference/realtime.ts).
  const contract: FrameContract = Object.freeze({
    action: options.action,
    roles: options.roles,
    body: options.body ?? noFields,
    requestId: clientRequestId,
  });
  return Object.assign(handler, { contract });
}

/** A frame's envelope: `action` and the client's `requestId` beside the route's own fields. */
interface Frame {
  action: unknown;
  fields: Record<string, unknown>;
}

/** A frame is a JSON object; the client's `requestId`, when it sent a safe one, becomes the request's id. */
function frameEnvelope(): Middleware<WsEvent> {
  return {
    before(request) {
      const state = stateOf(request.context);
      const frame = state.input.frame;
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
        throw ValidationFailed.of('', 'a frame is a JSON object with an action');
      }
      const { action, requestId, ...fields } = frame as Record<string, unknown>;
      state.input.frame = { action, fields } satisfies Frame;
      if (requestId !== undefined) {
        state.clientRequestId = parse(clientRequestId, requestId, 'requestId');
        state.requestId = state.clientRequestId;
      }
    },
  };
}

/** The handler's reply frame (if any) as the route's response, echoing the request's id. */
function frameReply(): Middleware<WsEvent> {
  return {
    after(request) {
      const reply = request.response as ReplyFrame | undefined;
      if (reply === undefined) {
        request.response = { statusCode: 200 } satisfies WsResult;
        return;
      }
      const { type, ...rest } = reply;
      request.response = replyWith({ type, requestId: stateOf(request.context).requestId, ...rest });
    },
  };
}

interface LifecycleContext {
  principal: Principal | undefined;
  connection: ConnectionRef;
  /** Lower-cased handshake headers ($connect only). */
  headers: Record<string, string | undefined>;
}

/**
 * A handler for $connect and $disconnect: no frame, no reply. At $connect a non-200 status refuses the
 * upgrade; that is how an error here reaches the client.
 */
export function wsLifecycleHandler(options: {
  action: string;
  /** true at $connect: the connection opens only for a principal still current (shared/auth/current-principal.ts). */
  current?: boolean;
  run(ctx: LifecycleContext): Promise<void>;
}) {
  const middlewares: Middleware<WsEvent>[] = [
    requestLog<WsEvent>({ action: options.action, origin }),
    errorResponse<WsEvent>({
      route,
      render: (error, requestId) => ({ statusCode: error.status, body: JSON.stringify(errorFrame(error, requestId)) }),
    }),
    auditResource<WsEvent>({ type: 'connection', id: ({ event }) => event.requestContext.connectionId }),
    authorization<WsEvent>({
      claims,
      required: false,
      ...(options.current ? { current: currentPrincipal } : {}),
    }),
  ];
  return middy<WsEvent, WsResult>()
    .use(middlewares)
    .handler(async (event, context) => {
      const { principal } = stateOf(context);
      await options.run({ principal, connection: connectionOf(event), headers: lowerCased(event) });
      return { statusCode: 200 };
    });
}

const route = (event: WsEvent) => `ws ${event.requestContext.routeKey}`;

const origin = (event: WsEvent) => ({
  route: route(event),
  sourceIp: event.requestContext.identity?.sourceIp,
  userAgent: event.requestContext.identity?.userAgent,
  connectionId: event.requestContext.connectionId,
});

const claims = (event: WsEvent) => fromAuthorizerContext(event.requestContext.authorizer);

function connectionOf(event: WsEvent): ConnectionRef {
  return { connectionId: event.requestContext.connectionId, connectedAt: event.requestContext.connectedAt };
}

function lowerCased(event: WsEvent): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

const replyWith = (frame: object): WsResult => ({ statusCode: 200, body: JSON.stringify(frame) });

export function errorFrame(error: AppError, requestId: string) {
  return {
    type: 'error',
    requestId,
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}
