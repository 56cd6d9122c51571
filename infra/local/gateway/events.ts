// The events API Gateway sends to Lambda, built from what arrived on the socket. Field by field these
// follow the HTTP API payload format 2.0, the WebSocket API's proxy events and its REQUEST authorizer
// event (see test/integration/foundation/fidelity.test.ts for the specifications they are checked with).
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { localRegion } from '../environment.js';
import { localAccountId } from '../lambda.js';

/** The facts of one HTTP request, as the gateway read them from the socket. */
export interface HttpRequestFacts {
  method: string;
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  rawQueryString: string;
  /** Node's `rawHeaders`: name, value, name, value… with the client's casing and duplicates kept. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** e.g. `HTTP/1.1`. */
  protocol: string;
  /** The port the client connected to (for `x-forwarded-port`). */
  port: number;
  requestId: string;
  time: Date;
}

export interface ApiFacts {
  apiId: string;
  stage: string;
}

/** API Gateway request ids look like `BFHPhFe3IAMF95g=`. */
export function gatewayId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}

export function traceHeader(time: Date): string {
  return `Root=1-${Math.floor(time.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the CLF time API Gateway puts in `time` / `requestTime`. */
export function requestTime(time: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(time.getUTCDate())}/${months[time.getUTCMonth()]}/${time.getUTCFullYear()}:` +
    `${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())} +0000`
  );
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) → `127.0.0.1`. */
export function normalizeIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Header name/value pairs in arrival order, with the values API Gateway adds as a proxy. */
export function headerPairs(facts: Pick<HttpRequestFacts, 'rawHeaders' | 'sourceIp' | 'port' | 'time'>) {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < facts.rawHeaders.length; i += 2) {
    pairs.push([facts.rawHeaders[i] as string, facts.rawHeaders[i + 1] as string]);
  }
  const has = (name: string) => pairs.some(([n]) => n.toLowerCase() === name);
  const forwardedFor = pairs.find(([n]) => n.toLowerCase() === 'x-forwarded-for');
  const withoutForwardedFor = pairs.filter(([n]) => n.toLowerCase() !== 'x-forwarded-for');
  const added: [string, string][] = [
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor[1]}, ${facts.sourceIp}` : facts.sourceIp],
    ['X-Forwarded-Port', String(facts.port)],
    ['X-Forwarded-Proto', 'http'],
  ];
  if (!has('x-amzn-trace-id')) added.push(['X-Amzn-Trace-Id', traceHeader(facts.time)]);
  return [...withoutForwardedFor.filter(([n]) => !/^x-forwarded-(port|proto)$/i.test(n)), ...added];
}

/** Payload 2.0: lower-cased names, repeated headers joined with commas, `Cookie` moved to `cookies`. */
export function headersV2(pairs: readonly [string, string][]) {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    if (key === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  return { headers, cookies: cookies.length ? cookies : undefined };
}

/** Repeated query parameters are joined with commas, as in `queryStringParameters` of payload 2.0. */
export function queryV2(rawQueryString: string): Record<string, string> | undefined {
  const multi = multiValueQuery(rawQueryString);
  if (!multi) return undefined;
  return Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.join(',')]));
}

export function multiValueQuery(rawQueryString: string): Record<string, string[]> | undefined {
  if (!rawQueryString) return undefined;
  const result: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const values = result[key];
    if (values) values.push(value);
    else result[key] = [value];
  }
  return Object.keys(result).length ? result : undefined;
}

// API Gateway passes these bodies as text; anything else (images, octet-stream, forms, compressed
// bodies, or no content type at all) arrives base64-encoded with isBase64Encoded: true.
const textTypes = /^(text\/[^;]+|application\/([a-z0-9.+-]*\+)?(json|xml|javascript))\s*(;|$)/i;

export function bodyV2(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined) {
  if (body.length === 0) return { body: undefined, isBase64Encoded: false };
  const identity = !contentEncoding || contentEncoding.toLowerCase() === 'identity';
  if (identity && contentType && textTypes.test(contentType))
    return { body: body.toString('utf8'), isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function domainOf(host: string | undefined): string {
  return (host ?? 'localhost').replace(/:\d+$/, '');
}

function httpRequestContext(facts: HttpRequestFacts, headers: Record<string, string>, routeKey: string, api: ApiFacts) {
  const domainName = domainOf(headers.host);
  return {
    accountId: localAccountId,
    apiId: api.apiId,
    domainName,
    domainPrefix: domainName.split('.')[0] as string,
    http: {
      method: facts.method,
      path: facts.rawPath,
      protocol: facts.protocol,
      sourceIp: facts.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: facts.requestId,
    routeKey,
    stage: api.stage,
    time: requestTime(facts.time),
    timeEpoch: facts.time.getTime(),
  };
}

export interface RouteFacts {
  routeKey: string;
  pathParameters?: Record<string, string>;
}

/** The HTTP API payload 2.0 event a route's integration receives. */
export function httpEvent(facts: HttpRequestFacts, route: RouteFacts, api: ApiFacts): APIGatewayProxyEventV2 {
  const { headers, cookies } = headersV2(headerPairs(facts));
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: facts.rawPath,
    rawQueryString: facts.rawQueryString,
    cookies,
    headers,
    queryStringParameters: queryV2(facts.rawQueryString),
    requestContext: httpRequestContext(facts, headers, route.routeKey, api),
    pathParameters: route.pathParameters,
    ...bodyV2(facts.body, headers['content-type'], headers['content-encoding']),
  };
  return withoutUndefined(event) as unknown as APIGatewayProxyEventV2;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

// ---------------------------------------------------------------------------------------------------
// WebSocket API

/** What the gateway keeps about an open WebSocket connection, and what every event repeats from it. */
export interface ConnectionFacts {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent?: string;
  domainName: string;
  /** `principalId`, `integrationLatency` and the authorizer's context, once authorized. */
  authorizer?: Record<string, unknown>;
}

export interface HandshakeFacts {
  rawHeaders: readonly string[];
  rawQueryString: string;
  sourceIp: string;
  port: number;
  time: Date;
  requestId: string;
}

function wsRequestContext(
  connection: ConnectionFacts,
  api: ApiFacts,
  request: { routeKey: string; eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT'; requestId: string; time: Date },
) {
  return {
    routeKey: request.routeKey,
    eventType: request.eventType,
    extendedRequestId: request.requestId,
    requestTime: requestTime(request.time),
    messageDirection: 'IN' as const,
    stage: api.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: request.time.getTime(),
    identity: connection.userAgent
      ? { sourceIp: connection.sourceIp, userAgent: connection.userAgent }
      : { sourceIp: connection.sourceIp },
    requestId: request.requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: api.apiId,
  };
}

/** WebSocket events keep the client's header casing; repeated headers are joined with commas. */
function wsHeaders(pairs: readonly [string, string][]) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const existing = Object.keys(headers).find((n) => n.toLowerCase() === name.toLowerCase()) ?? name;
    headers[existing] = existing in headers ? `${headers[existing]},${value}` : value;
    const values = multiValueHeaders[existing];
    if (values) values.push(value);
    else multiValueHeaders[existing] = [value];
  }
  return { headers, multiValueHeaders };
}

/**
 * What both `$connect` events (the authorizer's and the route's) say of the handshake: its part of the
 * requestContext, and its query string, where a repeated name keeps its last value (absent when empty).
 */
function connectFacts(handshake: HandshakeFacts) {
  const multi = multiValueQuery(handshake.rawQueryString);
  return {
    request: {
      routeKey: '$connect',
      eventType: 'CONNECT' as const,
      requestId: handshake.requestId,
      time: handshake.time,
    },
    query: multi && Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1) as string])),
    multi,
  };
}

/** The REQUEST authorizer event of a WebSocket API's `$connect` (the v1 authorizer format). */
export function wsAuthorizerEvent(handshake: HandshakeFacts, connection: ConnectionFacts, api: ApiFacts) {
  const { request, query, multi } = connectFacts(handshake);
  return {
    type: 'REQUEST' as const,
    methodArn: `arn:aws:execute-api:${localRegion}:${localAccountId}:${api.apiId}/${api.stage}/$connect`,
    ...wsHeaders(headerPairs(handshake)),
    queryStringParameters: query ?? {},
    multiValueQueryStringParameters: multi ?? {},
    stageVariables: {},
    requestContext: wsRequestContext(connection, api, request),
    isBase64Encoded: false,
  };
}

// Hop-by-hop handshake headers reach the authorizer but not the $connect integration.
const handshakeOnly = new Set(['connection', 'upgrade', 'content-length']);

export function wsConnectEvent(handshake: HandshakeFacts, connection: ConnectionFacts, api: ApiFacts) {
  const { request, query, multi } = connectFacts(handshake);
  const pairs = headerPairs(handshake).filter(([n]) => !handshakeOnly.has(n.toLowerCase()));
  return withoutUndefined({
    ...wsHeaders(pairs),
    queryStringParameters: query,
    multiValueQueryStringParameters: multi,
    requestContext: withAuthorizer(wsRequestContext(connection, api, request), connection),
    isBase64Encoded: false,
  });
}

export function wsMessageEvent(
  connection: ConnectionFacts,
  api: ApiFacts,
  message: {
    routeKey: string;
    messageId: string;
    requestId: string;
    time: Date;
    body: string;
    isBase64Encoded: boolean;
  },
) {
  const base = wsRequestContext(connection, api, { ...message, eventType: 'MESSAGE' });
  const { routeKey, ...rest } = base;
  return {
    requestContext: withAuthorizer({ routeKey, messageId: message.messageId, ...rest }, connection),
    body: message.body,
    isBase64Encoded: message.isBase64Encoded,
  };
}

export function wsDisconnectEvent(
  connection: ConnectionFacts,
  api: ApiFacts,
  close: { statusCode: number; reason: string; requestId: string; time: Date },
) {
  const headers = { Host: connection.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  const context = wsRequestContext(connection, api, { ...close, routeKey: '$disconnect', eventType: 'DISCONNECT' });
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: withAuthorizer(
      { ...context, disconnectStatusCode: close.statusCode, disconnectReason: close.reason },
      connection,
    ),
    isBase64Encoded: false,
  };
}

function withAuthorizer<C extends object>(context: C, connection: ConnectionFacts): C {
  return connection.authorizer ? { ...context, authorizer: connection.authorizer } : context;
}

/** The EventBridge "Scheduled Event" a rule sends to its target. */
export function scheduledEvent(ruleName: string, time: Date) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: localAccountId,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: localRegion,
    resources: [`arn:aws:events:${localRegion}:${localAccountId}:rule/${ruleName}`],
    detail: {},
  };
}
