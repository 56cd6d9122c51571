// The HTTP pipeline every route handler goes through: middy middlewares for the response headers, the
// request log line, the request id, error mapping, the audit resource, authorization, params/query
// validation and (for routes with a body) body limit, content type, JSON parsing and body validation.
// A handler supplies only its schemas and its business step.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { currentPrincipal } from '../auth/current-principal.js';
import type { Principal, Role } from '../domain/roles.js';
import type { AppError } from '../errors.js';
import {
  accessTokenClaims,
  auditResource,
  authorization,
  errorResponse,
  jsonPayload,
  type Middleware,
  requestLog,
  stateOf,
  validation,
} from '../middleware.js';
import type { Schema } from '../validation.js';
import type * as z from '../zod.js';
import { anonymousLimit } from './anonymous-limit.js';
import { defaultBodyLimit } from './limits.js';

export type HttpEvent = APIGatewayProxyEventV2;

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body that is not JSON (e.g. CSV), sent as is with its own `content-type` header. */
  text?: string;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({ status: 200, body, headers });
export const created = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  status: 201,
  body,
  headers,
});
export const accepted = (body?: unknown): HttpResult => ({ status: 202, body });
export const noContent = (): HttpResult => ({ status: 204 });
export const okText = (text: string, contentType: string): HttpResult => ({
  status: 200,
  text,
  headers: { 'content-type': contentType },
});

interface RequestContext<B, Q, P, Auth extends boolean> {
  principal: Auth extends true ? Principal : Principal | undefined;
  body: B;
  query: Q;
  params: P;
  /** Lower-cased request headers. */
  headers: Record<string, string | undefined>;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** Names what the request acted on, for the audit line (e.g. the id of a ticket just created). */
  setResource(type: string, id?: string): void;
  /**
   * Sign-in routes name who just signed in, so the audit line says who the caller turned out to be (as
   * CloudTrail does for console sign-ins); with `setResource('account', email)` it pairs e-mails with ids.
   */
  setPrincipal(principal: Principal): void;
}

interface HandlerOptions<BS extends Schema, QS extends Schema, PS extends Schema, Auth extends boolean> {
  /** Domain operation for the audit trail, e.g. `ticket.create`. */
  action: string;
  /** false for routes anyone may call (login, health); default true. */
  auth?: Auth;
  /** Roles allowed; others get 403. Visibility (404) is the domain's business. */
  roles?: readonly Role[];
  body?: BS;
  /** Bytes a body may have; default `defaultBodyLimit` (shared/http/limits.ts). */
  bodyLimit?: number;
  /**
   * Also take the body as an HTML form (`application/x-www-form-urlencoded`), for callers that cannot send
   * JSON: a mail client's one-click unsubscribe (RFC 8058). Default false.
   */
  acceptsForm?: boolean;
  query?: QS;
  params?: PS;
  /** Default audit resource: its type, and the path parameter holding its id. */
  resource?: { type: string; param?: string };
  run(ctx: RequestContext<z.output<BS>, z.output<QS>, z.output<PS>, Auth>): Promise<HttpResult>;
}

/** What a route accepts and who may call it, as its handler declares it. */
export interface HttpContract {
  readonly action: string;
  readonly auth: boolean;
  readonly roles?: readonly Role[];
  readonly body?: Schema;
  readonly query?: Schema;
  readonly params?: Schema;
  /** Bytes a body may have. */
  readonly bodyLimit: number;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const jsonType = /^application\/([a-z0-9.+-]*\+)?json\b/i;
const formType = /^application\/x-www-form-urlencoded\b/i;

type HttpResponse = APIGatewayProxyStructuredResultV2;

export function httpHandler<
  BS extends Schema = Schema,
  QS extends Schema = Schema,
  PS extends Schema = Schema,
  Auth extends boolean = true,
>(options: HandlerOptions<BS, QS, PS, Auth>) {
  type Ctx = RequestContext<z.output<BS>, z.output<QS>, z.output<PS>, Auth>;
  const { resource, body } = options;
  const isForm = (event: HttpEvent) =>
    options.acceptsForm === true && formType.test(event.headers?.['content-type'] ?? '');
  const middlewares: Middleware<HttpEvent>[] = [
    httpResponse(),
    requestLog<HttpEvent>({
      action: options.action,
      origin: (event) => ({
        route: event.routeKey,
        sourceIp: event.requestContext.http.sourceIp,
        userAgent: event.requestContext.http.userAgent,
        traceHeader: event.headers?.['x-amzn-trace-id'],
      }),
      outcome: (response) => {
        const { status, body } = response as HttpResult;
        return { status, errorCode: status >= 400 ? (body as { error?: { code?: string } })?.error?.code : undefined };
      },
    }),
    clientRequestId(),
    errorResponse<HttpEvent>({ route: (event) => event.routeKey, render: errorResult }),
    ...(options.auth === false ? [anonymousLimit<HttpEvent>()] : []),
    ...(resource
      ? [
          auditResource<HttpEvent>({
            type: resource.type,
            id: ({ event }) => (resource.param ? event.pathParameters?.[resource.param] : undefined),
          }),
        ]
      : []),
    // The access token is verified here, not by an API Gateway authorizer: one invocation per request, a
    // revocation seen at once (currentPrincipal), and the contract's 401 body on every refusal.
    authorization<HttpEvent>({
      claims: (event) => (options.auth === false ? undefined : accessTokenClaims(event.headers?.authorization)),
      required: options.auth !== false,
      roles: options.roles,
      current: currentPrincipal,
    }),
    validation<HttpEvent>({
      params: { schema: options.params, read: ({ event }) => event.pathParameters ?? {} },
      query: { schema: options.query, read: ({ event }) => event.queryStringParameters ?? {} },
    }),
    ...(body
      ? [
          jsonPayload<HttpEvent>({
            name: 'body',
            limit: () => options.bodyLimit ?? defaultBodyLimit,
            accepts: (event) => jsonType.test(event.headers?.['content-type'] ?? '') || isForm(event),
            form: isForm,
          }),
          validation<HttpEvent>({ body: { schema: body, read: ({ context }) => stateOf(context).input.body } }),
        ]
      : []),
  ];
  const handler = middy<HttpEvent, HttpResponse>()
    .use(middlewares)
    .handler(async (event, context) => {
      const state = stateOf(context);
      const { params, query, body } = state.input;
      const result = await options.run({
        principal: state.principal as Ctx['principal'],
        body: body as Ctx['body'],
        query: query as Ctx['query'],
        params: params as Ctx['params'],
        headers: event.headers as Record<string, string | undefined>,
        requestId: state.requestId,
        sourceIp: event.requestContext.http.sourceIp,
        userAgent: event.requestContext.http.userAgent,
        setResource: (type, id) => {
          state.resource = { type, id };
        },
        setPrincipal: (signedIn) => {
          state.principal = signedIn;
        },
      });
      // httpResponse (the outermost middleware) turns the HttpResult into API Gateway's response.
      return result as HttpResponse;
    });
  // What the route accepts, read by the API reference generator (infra/reference/openapi.ts).
  const contract: HttpContract = Object.freeze({
    action: options.action,
    auth: options.auth !== false,
    roles: options.roles,
    body: options.body,
    query: options.query,
    params: options.params,
    bodyLimit: options.bodyLimit ?? defaultBodyLimit,
  });
  return Object.assign(handler, { contract });
}

/** The caller's own `x-request-id`, when it is safe to echo, becomes the request's id. */
function clientRequestId(): Middleware<HttpEvent> {
  return {
    before(request) {
      const sent = request.event.headers?.['x-request-id'];
      if (!sent || !requestIdPattern.test(sent)) return;
      const state = stateOf(request.context);
      state.clientRequestId = sent;
      state.requestId = sent;
    },
  };
}

/** An HttpResult (the handler's, or errorResponse's) as API Gateway's response, with the headers every answer carries. */
function httpResponse(): Middleware<HttpEvent> {
  const respond = (request: { response: unknown; context: Context }) => {
    const result = request.response as HttpResult;
    request.response = {
      statusCode: result.status,
      headers: {
        ...(result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'x-request-id': stateOf(request.context).requestId,
        'cache-control': 'no-store',
        ...result.headers,
      },
      body: result.text ?? (result.body === undefined ? undefined : JSON.stringify(result.body)),
    } satisfies HttpResponse;
  };
  return { after: respond, onError: respond };
}

export function errorResult(error: AppError, requestId: string): HttpResult {
  return {
    status: error.status,
    headers: error.headers,
    body: {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
      requestId,
    },
  };
}
