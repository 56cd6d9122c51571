// The WebSocket pipeline every route handler goes through (middy), the counterpart of shared/http/handler.ts:
// frame size limit, JSON parsing, schema validation, the principal the $connect authorizer established,
// role check, error mapping and the request log line. A handler supplies only its schema and its step.
//
// A route's reply to the sender is the handler's return value (every route has a RouteResponse), an error
// included: `{type: "error", requestId, error: {code, message}}`. Pushes to anyone else go through
// shared/realtime/fanout.ts.
import middy from '@middy/core';
import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { wsFrameLimit } from '../../infra/routes.js';
import { fromAuthorizerContext } from '../auth/principal.js';
import type { Principal, Role } from '../domain/roles.js';
import {
  type AppError,
  Forbidden,
  MalformedJson,
  PayloadTooLarge,
  toAppError,
  Unauthenticated,
  ValidationFailed,
} from '../errors.js';
import { logger, logRequest } from '../observability/logger.js';
import type { ConnectionRef } from '../realtime/connections.js';
import type { ReplyFrame } from '../realtime/frames.js';
import { parse, type Schema } from '../validation.js';
import * as z from '../zod.js';

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
  /** The reply to the sender, or nothing (e.g. `typing`). */
  run(ctx: FrameContext<z.output<BS>>): Promise<ReplyFrame | undefined>;
}

const clientRequestId = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, '1–64 characters of A-Z a-z 0-9 . _ -'));
const noFields = z.strictObject({});

interface State {
  startedAt: number;
  requestId: string;
  clientRequestId?: string;
  principal?: Principal;
  resource?: { type: string; id?: string };
}

/** A handler for frames a client sends on an open connection (every route but $connect and $disconnect). */
export function wsHandler<BS extends Schema = typeof noFields>(options: FrameOptions<BS>) {
  const run = async (event: WsEvent, context: Context): Promise<WsResult> => {
    const state = startState(event);
    try {
      const reply = await handle(event, state);
      finish(event, context, state, options.action, 200);
      if (reply === undefined) return { statusCode: 200 };
      const { type, ...rest } = reply;
      return replyWith({ type, requestId: state.requestId, ...rest });
    } catch (error) {
      const appError = failed(event, error);
      finish(event, context, state, options.action, appError.status, appError.code);
      return replyWith(errorFrame(appError, state.requestId));
    }
  };

  async function handle(event: WsEvent, state: State): Promise<ReplyFrame | undefined> {
    const { action, requestId, ...fields } = readFrame(event);
    if (requestId !== undefined) {
      state.clientRequestId = parse(clientRequestId, requestId, 'requestId');
      state.requestId = state.clientRequestId;
    }
    // Named before any check, so a refused frame on a ticket still shows in that ticket's audit trail.
    if (options.resource) {
      const id = options.resource.field ? (fields as Record<string, unknown>)[options.resource.field] : undefined;
      state.resource = { type: options.resource.type, id: typeof id === 'string' ? id : undefined };
    }
    const principal = fromAuthorizerContext(event.requestContext.authorizer);
    state.principal = principal;
    if (!principal) throw new Unauthenticated();
    if (options.roles && !options.roles.includes(principal.role)) throw new Forbidden();

    const body = parse(options.body ?? noFields, fields, '') as z.output<BS>;
    return options.run({
      principal,
      body,
      action,
      connection: connectionOf(event),
      requestId: state.requestId,
      setResource: (type, id) => {
        state.resource = { type, id };
      },
    });
  }

  return middy<WsEvent, WsResult>().handler(run);
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
export function wsLifecycleHandler(options: { action: string; run(ctx: LifecycleContext): Promise<void> }) {
  const run = async (event: WsEvent, context: Context): Promise<WsResult> => {
    const state = startState(event);
    state.principal = fromAuthorizerContext(event.requestContext.authorizer);
    state.resource = { type: 'connection', id: event.requestContext.connectionId };
    try {
      await options.run({ principal: state.principal, connection: connectionOf(event), headers: lowerCased(event) });
      finish(event, context, state, options.action, 200);
      return { statusCode: 200 };
    } catch (error) {
      const appError = failed(event, error);
      finish(event, context, state, options.action, appError.status, appError.code);
      return { statusCode: appError.status, body: JSON.stringify(errorFrame(appError, state.requestId)) };
    }
  };
  return middy<WsEvent, WsResult>().handler(run);
}

function startState(event: WsEvent): State {
  return { startedAt: Date.now(), requestId: event.requestContext.requestId };
}

function connectionOf(event: WsEvent): ConnectionRef {
  return { connectionId: event.requestContext.connectionId, connectedAt: event.requestContext.connectedAt };
}

function lowerCased(event: WsEvent): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function readFrame(event: WsEvent): Record<string, unknown> {
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  if (Buffer.byteLength(raw) > wsFrameLimit) throw new PayloadTooLarge(wsFrameLimit);
  let frame: unknown;
  try {
    frame = JSON.parse(raw.toString());
  } catch {
    throw new MalformedJson();
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    throw ValidationFailed.of('', 'a frame is a JSON object with an action');
  }
  return frame as Record<string, unknown>;
}

function failed(event: WsEvent, error: unknown): AppError {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    logger.error('request failed', { route: `ws ${event.requestContext.routeKey}`, error: error as Error });
  }
  return appError;
}

function finish(event: WsEvent, context: Context, state: State, action: string, status: number, errorCode?: string) {
  logRequest({
    requestId: event.requestContext.requestId,
    clientRequestId: state.clientRequestId,
    lambdaRequestId: context.awsRequestId,
    functionName: context.functionName,
    route: `ws ${event.requestContext.routeKey}`,
    status,
    latencyMs: Date.now() - state.startedAt,
    principal: state.principal,
    action,
    resource: state.resource,
    errorCode,
    sourceIp: event.requestContext.identity?.sourceIp,
    userAgent: event.requestContext.identity?.userAgent,
    connectionId: event.requestContext.connectionId,
  });
}

const replyWith = (frame: object): WsResult => ({ statusCode: 200, body: JSON.stringify(frame) });

export function errorFrame(error: AppError, requestId: string) {
  return {
    type: 'error',
    requestId,
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}
