// The HTTP pipeline every route handler goes through (middy): request id, body limit, content type,
// JSON parsing, schema validation, role check, error mapping and the request log line. A handler
// supplies only its schemas and its business step.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { defaultBodyLimit, findHttpRoute } from '../../infra/routes.js';
import { fromAuthorizerContext } from '../auth/principal.js';
import type { Principal, Role } from '../domain/roles.js';
import {
  type AppError,
  Forbidden,
  MalformedJson,
  PayloadTooLarge,
  toAppError,
  Unauthenticated,
  UnsupportedMediaType,
} from '../errors.js';
import { logger, logRequest } from '../observability/logger.js';
import { parse, type Schema } from '../validation.js';
import type * as z from '../zod.js';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { lambda?: unknown } };
};

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({ status: 200, body, headers });
export const created = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  status: 201,
  body,
  headers,
});
export const accepted = (body?: unknown): HttpResult => ({ status: 202, body });
export const noContent = (): HttpResult => ({ status: 204 });

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
  query?: QS;
  params?: PS;
  /** Default audit resource: its type, and the path parameter holding its id. */
  resource?: { type: string; param?: string };
  run(ctx: RequestContext<z.output<BS>, z.output<QS>, z.output<PS>, Auth>): Promise<HttpResult>;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const jsonType = /^application\/([a-z0-9.+-]*\+)?json\b/i;

interface State {
  startedAt: number;
  requestId: string;
  clientRequestId?: string;
  principal?: Principal;
  resource?: { type: string; id?: string };
}

export function httpHandler<
  BS extends Schema = Schema,
  QS extends Schema = Schema,
  PS extends Schema = Schema,
  Auth extends boolean = true,
>(options: HandlerOptions<BS, QS, PS, Auth>) {
  const needsAuth = options.auth !== false;

  const run = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const state = startState(event);
    try {
      const result = await handle(event, state);
      return finish(event, context, state, result);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) logger.error('request failed', { route: event.routeKey, error: error as Error });
      return finish(event, context, state, errorResult(appError, state.requestId));
    }
  };

  async function handle(event: HttpEvent, state: State): Promise<HttpResult> {
    // Named before any refusal, so a refused attempt on a ticket shows up among that ticket's accesses.
    if (options.resource) {
      const id = options.resource.param ? (event.pathParameters?.[options.resource.param] ?? undefined) : undefined;
      state.resource = { type: options.resource.type, id };
    }
    const principal = fromAuthorizerContext(event.requestContext.authorizer?.lambda);
    state.principal = principal;
    if (needsAuth && !principal) throw new Unauthenticated();
    if (options.roles && (!principal || !options.roles.includes(principal.role))) throw new Forbidden();

    type Ctx = RequestContext<z.output<BS>, z.output<QS>, z.output<PS>, Auth>;
    const pathParameters = event.pathParameters ?? {};
    const queryParameters = event.queryStringParameters ?? {};
    const params = (options.params ? parse(options.params, pathParameters, '') : pathParameters) as Ctx['params'];
    const query = (options.query ? parse(options.query, queryParameters, '') : queryParameters) as Ctx['query'];
    const body = (options.body ? parse(options.body, readJsonBody(event), '') : undefined) as Ctx['body'];
    const headers = event.headers as Record<string, string | undefined>;
    return options.run({
      principal: principal as Ctx['principal'],
      body,
      query,
      params,
      headers,
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
  }

  function finish(
    event: HttpEvent,
    context: Context,
    state: State,
    result: HttpResult,
  ): APIGatewayProxyStructuredResultV2 {
    const body = result.body === undefined ? undefined : (result.body as { error?: { code?: string } });
    logRequest({
      requestId: event.requestContext.requestId,
      clientRequestId: state.clientRequestId,
      lambdaRequestId: context.awsRequestId,
      route: event.routeKey,
      status: result.status,
      latencyMs: Date.now() - state.startedAt,
      principal: state.principal,
      action: options.action,
      resource: state.resource,
      errorCode: result.status >= 400 ? body?.error?.code : undefined,
      sourceIp: event.requestContext.http.sourceIp,
      userAgent: event.requestContext.http.userAgent,
      functionName: context.functionName,
      traceHeader: event.headers?.['x-amzn-trace-id'],
    });
    return {
      statusCode: result.status,
      headers: {
        ...(result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'x-request-id': state.requestId,
        'cache-control': 'no-store',
        ...result.headers,
      },
      body: result.body === undefined ? undefined : JSON.stringify(result.body),
    };
  }

  return middy<HttpEvent, APIGatewayProxyStructuredResultV2>().handler(run);
}

function startState(event: HttpEvent): State {
  const sent = event.headers?.['x-request-id'];
  const clientRequestId = sent && requestIdPattern.test(sent) ? sent : undefined;
  return { startedAt: Date.now(), requestId: clientRequestId ?? event.requestContext.requestId, clientRequestId };
}

function readJsonBody(event: HttpEvent): unknown {
  const limit = findHttpRoute(event.routeKey)?.bodyLimit ?? defaultBodyLimit;
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  if (Buffer.byteLength(raw) > limit) throw new PayloadTooLarge(limit);
  if (!jsonType.test(event.headers?.['content-type'] ?? '')) throw new UnsupportedMediaType();
  try {
    return JSON.parse(raw.toString());
  } catch {
    throw new MalformedJson();
  }
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
