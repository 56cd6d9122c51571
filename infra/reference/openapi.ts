// The OpenAPI 3.1 document of the HTTP API, built from the route table (infra/routes.ts: method, path,
// sign-in), what each route's handler declares it accepts (its `contract`: schemas, roles) and what it
// answers (infra/reference/answers.ts). `npm run docs` writes it to docs/openapi.json; nothing in it is
// written by hand twice.

import { anonymousPaths } from '../../shared/domain/limits.js';
import * as resources from '../../shared/domain/resources.js';
import { errorCodes } from '../../shared/domain/resources.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { HttpContract } from '../../shared/http/handler.js';
import { type HttpRoute, httpRoutes } from '../routes.js';
import { httpAnswers, lists } from './answers.js';
import { type JsonSchema, jsonSchemaOf, namedJsonSchemas } from './json-schema.js';

/** The answers' schemas, one component each (the names the document shows). */
export const components = {
  Ticket: resources.TicketResource,
  Event: resources.EventResource,
  Actor: resources.ActorResource,
  Attachment: resources.AttachmentResource,
  User: resources.UserResource,
  GroupRef: resources.GroupRefResource,
  Group: resources.GroupResource,
  Invite: resources.InviteResource,
  Topic: resources.TopicResource,
  CannedReply: resources.CannedReplyResource,
  SlaPolicy: resources.SlaPolicyResource,
  AssignmentPolicy: resources.AssignmentPolicyResource,
  Erasure: resources.ErasureResource,
  RetentionPolicy: resources.RetentionPolicyResource,
  ErasureAnswer: resources.ErasureAnswer,
  DataExportAnswer: resources.DataExportAnswer,
  Session: resources.SessionAnswer,
  Health: resources.HealthAnswer,
  TicketAnswer: resources.TicketAnswer,
  EventAnswer: resources.EventAnswer,
  UserAnswer: resources.UserAnswer,
  GroupAnswer: resources.GroupAnswer,
  CannedReplyAnswer: resources.CannedReplyAnswer,
  InviteAnswer: resources.InviteAnswer,
  InviteLookup: resources.InviteLookupAnswer,
  ConnectionTicket: resources.ConnectionTicketAnswer,
  Upload: resources.UploadAnswer,
  Download: resources.DownloadAnswer,
  Summary: resources.SummaryAnswer,
  ...lists,
  Error: resources.ErrorAnswer,
  Timestamp: resources.Timestamp,
};

/** The status each error code is answered with (docs/api.md, "Errors"). */
export const errorStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface DocumentedRoute {
  route: HttpRoute;
  contract: HttpContract;
}

/** Every route of the table but `$default`, with its handler's contract (imports each handler module). */
export async function documentedRoutes(root: string): Promise<DocumentedRoute[]> {
  const routes: DocumentedRoute[] = [];
  for (const route of httpRoutes as readonly HttpRoute[]) {
    if (route.path === '$default') continue;
    const module = (await import(`${root}/${route.handler}`)) as { handler: { contract?: HttpContract } };
    const { contract } = module.handler;
    if (!contract) throw new Error(`${route.handler}: its handler is not an httpHandler, so it declares no contract`);
    routes.push({ route, contract });
  }
  return routes;
}

export function openApiDocument(routes: readonly DocumentedRoute[], version: string): JsonSchema {
  const ref = (name: string) => `#/components/schemas/${name}`;
  const nameOf = new Map<unknown, string>(Object.entries(components).map(([name, schema]) => [schema, name]));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { route, contract } of routes) {
    const answer = httpAnswers[contract.action];
    if (!answer) throw new Error(`${route.handler}: infra/reference/answers.ts has no answer for ${contract.action}`);
    if (contract.auth !== route.auth) {
      throw new Error(`${route.handler}: the route table says auth ${route.auth}, its handler ${contract.auth}`);
    }
    const success: Record<string, unknown> = { description: answer.summary, headers: responseHeaders(answer.etag) };
    if (answer.body) {
      const name = nameOf.get(answer.body);
      if (!name) throw new Error(`${contract.action}: its answer schema is not one of openapi.ts's components`);
      success.content = {
        'application/json': { schema: { $ref: ref(name) } },
        ...(answer.csv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
      };
    }
    const operation: Record<string, unknown> = {
      operationId: contract.action,
      summary: answer.summary,
      description: whoMay(route, contract),
      ...(contract.roles ? { 'x-roles': contract.roles } : {}),
      security: route.auth ? [{ bearer: [] }] : [],
      parameters: [
        ...parameters(contract.params, 'path'),
        ...parameters(contract.query, 'query'),
        ...(answer.headers ?? []).map((header) => ({
          name: header.name,
          in: 'header',
          required: header.required ?? false,
          description: header.description,
          schema: { type: 'string' },
        })),
      ],
      ...(contract.body
        ? {
            requestBody: {
              required: true,
              description: `At most ${contract.bodyLimit} bytes.`,
              content: { 'application/json': { schema: jsonSchemaOf(contract.body, 'input') } },
            },
          }
        : {}),
      responses: { [answer.status]: success, ...errorResponses(route, contract, answer.errors ?? []) },
    };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation;
  }
  const unused = Object.keys(httpAnswers).filter((action) => !routes.some((r) => r.contract.action === action));
  if (unused.length > 0) throw new Error(`infra/reference/answers.ts answers for no route: ${unused.join(', ')}`);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Atende HTTP API',
      version,
      description:
        'Generated by `npm run docs` from infra/routes.ts and the route handlers; read docs/api.md first. ' +
        'Every answer carries `x-request-id`; every non-2xx answer has the Error body. A path or method not ' +
        'listed here is answered 404 `not_found`. The WebSocket API is described in docs/realtime.schema.json.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    paths,
    components: {
      schemas: namedJsonSchemas(components, 'output', ref),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The `accessToken` of a sign-in answer; valid 15 minutes.',
        },
      },
      headers: {
        'x-request-id': {
          description: "The request's id: the caller's own `x-request-id` when it sent a valid one.",
          required: true,
          schema: { type: 'string' },
        },
        'retry-after': {
          description: 'Seconds to wait before trying again.',
          required: true,
          schema: { type: 'string' },
        },
        etag: { description: "The ticket's `version`, quoted: send it as `if-match`.", schema: { type: 'string' } },
      },
    },
  };

  /** The errors a route may answer: its pipeline's (from what it declares) and its business step's. */
  function errorResponses(route: HttpRoute, contract: HttpContract, own: readonly ErrorCode[]) {
    const codes = new Set<ErrorCode>(own);
    if (contract.body || contract.query || contract.params) codes.add('validation_failed');
    if (contract.body)
      for (const code of ['malformed_json', 'payload_too_large', 'unsupported_media_type'] as const) codes.add(code);
    if (route.auth) codes.add('unauthenticated');
    // Anonymous routes count against their source IP's limit (shared/http/anonymous-limit.ts).
    if (!route.auth && anonymousPaths.some((pattern) => pattern.test(route.path))) codes.add('rate_limited');
    if (contract.roles) codes.add('forbidden');
    codes.add('unavailable');
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errorCodes) {
      if (!codes.has(code)) continue;
      const status = errorStatus[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    return Object.fromEntries(
      [...byStatus].map(([status, codes]) => [
        status,
        {
          description: codes.map((code) => `\`${code}\``).join(', '),
          headers:
            status === 429
              ? { ...responseHeaders(), 'retry-after': { $ref: '#/components/headers/retry-after' } }
              : responseHeaders(),
          content: {
            'application/json': {
              schema: {
                allOf: [
                  { $ref: ref('Error') },
                  { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } },
                ],
              },
            },
          },
        },
      ]),
    );
  }
}

function responseHeaders(etag = false): Record<string, unknown> {
  return {
    'x-request-id': { $ref: '#/components/headers/x-request-id' },
    ...(etag ? { etag: { $ref: '#/components/headers/etag' } } : {}),
  };
}

function whoMay(route: HttpRoute, contract: HttpContract): string {
  if (!route.auth) return 'Anyone may call it.';
  if (contract.roles) return `Roles: ${contract.roles.join(', ')} (others get 403).`;
  return 'Any signed-in person; what each may see or do here is decided per resource (see docs/api.md, "Roles").';
}

/** A params or query schema as OpenAPI parameters, one per property. */
function parameters(schema: HttpContract['params'], where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}
