// One Logger per container for diagnostics, and the request log: the audit record of every HTTP request and
// WebSocket frame (docs/architecture.md, "Request log"), written by the HTTP and WebSocket pipelines through
// logRequest and nowhere else. Redaction is structural: the line is built from the allow-list below and
// never from bodies, headers or tokens; the formatter enforces the same list again, so a key appended to
// a Logger somewhere can never reach an audit line.
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { Principal, Role } from '../domain/roles.js';

/** Last line of defence for diagnostic logs: a value under a key that names a secret is never printed. */
const secretKey = /passw|secret|token|authori[sz]ation|cookie|credential|signature|^body$/i;

/** What a diagnostic line says in place of an error's message. */
export const withheldMessage = '[withheld: an error message may quote input]';

/**
 * An error as a diagnostic line shows it: its name, where it was thrown and its stack frames, never its
 * message. A message may quote what a caller sent (`JSON.parse` quotes the text it could not read, a
 * failed request may repeat its URL), and a stack trace starts with the message, so only the frames stay.
 */
export function safeError(error: Error): Record<string, unknown> {
  const frames = (typeof error.stack === 'string' ? error.stack : '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
  const { code, $metadata } = error as Error & { code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return {
    name: String(error.name).slice(0, 100),
    location: /([^\s()]+:\d+):\d+\)?$/.exec(frames[0] ?? '')?.[1] ?? '',
    message: withheldMessage,
    stack: frames,
    // Codes name a kind of failure (ECONNREFUSED), never what was sent.
    ...(typeof code === 'string' && /^[\w.:-]{1,64}$/.test(code) ? { code } : {}),
    ...(typeof $metadata?.httpStatusCode === 'number' ? { httpStatusCode: $metadata.httpStatusCode } : {}),
    ...(error.cause instanceof Error ? { cause: safeError(error.cause) } : {}),
  };
}

/** The diagnostic logger's JSON replacer: secrets by key, errors without their messages. */
export const redactSecrets = (key: string, value: unknown): unknown => {
  if (secretKey.test(key) && value !== undefined && value !== null) return '[redacted]';
  return value instanceof Error ? safeError(value) : value;
};

export const logger = new Logger({ serviceName: 'atende', jsonReplacerFn: redactSecrets });

export type Outcome = 'success' | 'denied' | 'invalid' | 'error';

/** What a pipeline knows about a finished request. */
export interface RequestLogFields {
  /** API Gateway's request id. */
  requestId: string;
  /** The caller's own `x-request-id`, when it sent a valid one. */
  clientRequestId?: string;
  lambdaRequestId?: string;
  /** `POST /tickets`, or `ws message.send` / `ws $connect` for WebSocket frames. */
  route: string;
  status: number;
  latencyMs: number;
  principal?: Pick<Principal, 'userId' | 'role' | 'groupIds'>;
  /** The domain operation, e.g. `ticket.create`. */
  action: string;
  /**
   * What the request acted on, e.g. `{type: 'ticket', id}`. Sign-in routes name the account by e-mail,
   * `{type: 'account', id: 'ana@example.com'}` (lower-cased), so an auditor can find a person by e-mail.
   */
  resource?: { type: string; id?: string };
  errorCode?: string;
  /** Why a refusal happened, when its answer must not say (shared/errors.ts, `because`). */
  reason?: string;
  sourceIp?: string;
  userAgent?: string;
  /** The Lambda context's function name; the environment's is the fallback. */
  functionName?: string;
  /** The request's `x-amzn-trace-id`, for when Lambda's `_X_AMZN_TRACE_ID` is not set (the local gateway). */
  traceHeader?: string;
  connectionId?: string;
}

/** One line of the request log, as printed (and as `npm run audit` reads it back). */
export interface RequestLine {
  timestamp: string;
  level: 'INFO';
  message: 'request';
  service: string;
  kind: 'request';
  requestId: string;
  clientRequestId?: string;
  lambdaRequestId: string | null;
  traceId: string | null;
  route: string;
  status: number;
  latencyMs: number;
  /** null for a caller that is not signed in. */
  principal: { userId: string; role: Role; groupIds: string[] } | null;
  action: string;
  resource: { type: string; id: string | null } | null;
  outcome: Outcome;
  errorCode: string | null;
  reason?: string;
  sourceIp: string | null;
  userAgent: string | null;
  coldStart: boolean;
  functionName: string | null;
  connectionId?: string;
}

type Body = Omit<RequestLine, 'timestamp' | 'level' | 'message' | 'service'>;

/** The allow-list, in print order. Nothing else is ever printed on a request line. */
const bodyKeys = [
  'kind',
  'requestId',
  'clientRequestId',
  'lambdaRequestId',
  'traceId',
  'route',
  'status',
  'latencyMs',
  'principal',
  'action',
  'resource',
  'outcome',
  'errorCode',
  'reason',
  'sourceIp',
  'userAgent',
  'coldStart',
  'functionName',
  'connectionId',
] as const satisfies readonly (keyof Body)[];

/** Keeps nulls (Powertools drops them), so every field of the line is present even when it has no value. */
class RequestLogItem extends LogItem {
  override removeEmptyKeys(attributes: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
  }
}

class RequestLineFormatter extends LogFormatter {
  override formatAttributes(
    attributes: { logLevel: string; timestamp: Date; serviceName: string },
    extra: Record<string, unknown>,
  ): LogItem {
    const line: Record<string, unknown> = {
      // UTC whatever TZ says: Powertools would print local time with an offset.
      timestamp: attributes.timestamp.toISOString(),
      level: attributes.logLevel,
      message: 'request',
      service: attributes.serviceName,
    };
    for (const key of bodyKeys) line[key] = extra[key];
    return new RequestLogItem({ attributes: line });
  }
}

// Its level is pinned so that POWERTOOLS_LOG_LEVEL=ERROR, set to quieten diagnostics, never drops an audit line.
const requestLogger = new Logger({ serviceName: 'atende', logLevel: 'INFO', logFormatter: new RequestLineFormatter() });

/** 401/403/404 and 429 (lockouts) mean the caller was kept out; 400/409/410/413/415 that what it sent was refused. */
export function outcomeOf(status: number): Outcome {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403 || status === 404 || status === 429) return 'denied';
  if (status >= 400) return 'invalid';
  return 'success';
}

// Every function has its own container when deployed; locally the gateway runs them all in one process.
const warmFunctions = new Set<string>();

/** Headers are the caller's to fill; a line stays a line. */
const capped = (value: string | undefined, max: number): string | null =>
  value === undefined || value === '' ? null : value.slice(0, max);

function requestLine(fields: RequestLogFields): Body {
  const functionName = fields.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? null;
  const coldStart = !warmFunctions.has(functionName ?? '');
  warmFunctions.add(functionName ?? '');
  const { principal, resource } = fields;
  return {
    kind: 'request',
    requestId: fields.requestId,
    clientRequestId: fields.clientRequestId,
    lambdaRequestId: fields.lambdaRequestId ?? null,
    traceId: traceRoot(process.env._X_AMZN_TRACE_ID ?? fields.traceHeader),
    route: fields.route,
    status: fields.status,
    latencyMs: fields.latencyMs,
    principal: principal ? { userId: principal.userId, role: principal.role, groupIds: [...principal.groupIds] } : null,
    action: fields.action,
    resource: resource ? { type: resource.type, id: capped(resource.id, 256) } : null,
    outcome: outcomeOf(fields.status),
    errorCode: fields.status >= 400 ? (fields.errorCode ?? null) : null,
    ...(fields.status >= 400 && fields.reason ? { reason: fields.reason } : {}),
    sourceIp: capped(fields.sourceIp, 64),
    userAgent: capped(fields.userAgent, 512),
    coldStart,
    functionName,
    connectionId: fields.connectionId,
  };
}

/** Always at INFO, so on stdout: one stream carries the whole trail, and `outcome` says how it ended. */
export function logRequest(fields: RequestLogFields): void {
  requestLogger.info('request', requestLine(fields));
}

/** `Root=1-abc-def;Parent=…;Sampled=1` → `1-abc-def`, the id X-Ray's console searches by. */
function traceRoot(header: string | undefined): string | null {
  return header?.match(/Root=([^;]+)/)?.[1] ?? null;
}
