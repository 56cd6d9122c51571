// The WebSocket API: `$connect` with its REQUEST authorizer, route selection on the JSON `action`,
// `$default`, `$disconnect`, API Gateway's limits (128 KB messages, idle and lifetime limits), and the
// `@connections` management API on the same port, which @aws-sdk/client-apigatewaymanagementapi calls
// unchanged (POST/GET/DELETE /@connections/{connectionId}).

import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { invoke } from '../lambda.js';
import { type AccessLine, printAccessLine, requestTime } from '../request-log.js';
import {
  type ApiFacts,
  type ConnectionFacts,
  gatewayId,
  type HandshakeFacts,
  multiValueQuery,
  normalizeIp,
  wsAuthorizerEvent,
  wsConnectEvent,
  wsDisconnectEvent,
  wsMessageEvent,
} from './events.js';
import type { GatewayRoutes } from './routes.js';

export interface WsGatewayOptions {
  root: string;
  routes: GatewayRoutes;
  api: ApiFacts;
  /** API Gateway: 29 s for WebSocket APIs. */
  integrationTimeoutMs: number;
  /** API Gateway: 128 KB; a bigger message closes the connection with 1009. */
  messageLimit: number;
  /** API Gateway: 10 minutes without a message. */
  idleMs: number;
  /** API Gateway: 2 hours. */
  maxLifetimeMs: number;
  report(message: string): void;
  /** Where the access line of a connection refused before `$connect` ran goes; printed (marked) by default. */
  accessLog?(line: AccessLine): void;
}

interface Connection {
  facts: ConnectionFacts;
  socket: WebSocket;
  lastActiveAt: number;
  /** Set when the gateway itself closes the connection, for the `$disconnect` event. */
  closedBy?: { statusCode: number; reason: string };
  idle: NodeJS.Timeout;
  lifetime: NodeJS.Timeout;
}

/** API Gateway connection ids look like `BFaT_fALIAMCKug=`. */
const connectionId = gatewayId;

export function wsGateway(server: Server, options: WsGatewayOptions) {
  const connections = new Map<string, Connection>();
  const routes = new Map(options.routes.wsRoutes.map((r) => [r.routeKey, r]));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.messageLimit, perMessageDeflate: false });
  let stopping = false;

  const call = (file: string, event: unknown) =>
    invoke({ root: options.root, file, timeoutMs: options.integrationTimeoutMs }, event);
  const accessLog = options.accessLog ?? printAccessLine;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    onUpgrade(req, socket, head).catch((error) => {
      options.report(`$connect failed: ${(error as Error).stack ?? error}`);
      reject(socket, 500, 'Internal server error');
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    managementApi(req, res).catch((error) => {
      options.report(`@connections failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) answer(res, 500, { message: 'Internal server error' });
    });
  });

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const time = new Date();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const handshake: HandshakeFacts = {
      rawHeaders: req.rawHeaders,
      rawQueryString: queryAt < 0 ? '' : url.slice(queryAt + 1),
      sourceIp: normalizeIp(req.socket.remoteAddress),
      port: req.socket.localPort ?? 0,
      time,
      requestId: gatewayId(),
    };
    const facts: ConnectionFacts = {
      connectionId: connectionId(),
      connectedAt: time.getTime(),
      sourceIp: handshake.sourceIp,
      userAgent: req.headers['user-agent'],
      domainName: (req.headers.host ?? 'localhost').replace(/:\d+$/, ''),
    };

    // Refused before $connect ran: no function logs it, so only the access log tells (as on AWS).
    const refuse = (status: number, message: string, authorizerError?: string) => {
      accessLog(wsRefusalLine(handshake, facts, { status, error: message, authorizerError }));
      reject(socket, status, message);
    };
    const authorizer = options.routes.wsAuthorizer;
    if (authorizer) {
      const identity = multiValueQuery(handshake.rawQueryString)?.[authorizer.identityQueryParameter];
      // The identity source is missing: refused without invoking the authorizer.
      if (!identity?.some(Boolean)) return refuse(401, 'Unauthorized');
      const started = Date.now();
      let result: unknown;
      try {
        result = await call(authorizer.handler, wsAuthorizerEvent(handshake, facts, options.api));
      } catch (error) {
        // An authorizer that throws `Error('Unauthorized')` makes API Gateway answer 401.
        if ((error as Error).message === 'Unauthorized') return refuse(401, 'Unauthorized');
        options.report(`authorizer ${authorizer.handler} failed: ${(error as Error).stack ?? error}`);
        return refuse(500, 'Internal server error', 'The authorizer failed');
      }
      const decision = evaluatePolicy(result, wsAuthorizerEvent(handshake, facts, options.api).methodArn);
      if (decision === 'invalid') {
        options.report(
          `authorizer ${authorizer.handler} answered no valid policy (principalId, policyDocument, flat context)`,
        );
        return refuse(500, 'Internal server error', 'The authorizer answered no valid policy');
      }
      if (decision === 'deny') return refuse(403, 'Forbidden');
      const { principalId, context } = result as { principalId: string; context?: Record<string, unknown> };
      facts.authorizer = { ...(context ?? {}), principalId, integrationLatency: Date.now() - started };
    }

    const connect = routes.get('$connect');
    if (connect) {
      let result: unknown;
      try {
        result = await call(connect.handler, wsConnectEvent(handshake, facts, options.api));
      } catch (error) {
        options.report(`$connect (${connect.handler}) threw: ${(error as Error).stack ?? error}`);
        return reject(socket, 500, 'Internal server error');
      }
      const status = statusOf(result);
      if (status < 200 || status > 299) return reject(socket, status, STATUS_CODES[status] ?? 'Refused');
    }
    if (socket.destroyed) {
      // The client left while $connect ran: the integration already stored the connection.
      void disconnect(facts, { statusCode: 1006, reason: 'Connection closed abnormally' });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, facts));
  }

  function accept(socket: WebSocket, facts: ConnectionFacts): void {
    const connection: Connection = {
      facts,
      socket,
      lastActiveAt: Date.now(),
      idle: setTimeout(() => closeBy(connection, 1001, 'Going away', 'Idle timeout'), options.idleMs),
      lifetime: setTimeout(
        () => closeBy(connection, 1001, 'Going away', 'Connection duration limit'),
        options.maxLifetimeMs,
      ),
    };
    connections.set(facts.connectionId, connection);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      connection.lastActiveAt = Date.now();
      connection.idle.refresh();
      onMessage(connection, data, isBinary).catch((error) =>
        options.report(`message on ${facts.connectionId} failed: ${(error as Error).stack ?? error}`),
      );
    });
    socket.on('error', (error: Error & { code?: string }) => {
      // ws closes the connection itself (1009 for WS_ERR_UNSUPPORTED_MESSAGE_LENGTH); remember why.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        connection.closedBy ??= { statusCode: 1009, reason: 'Message too big' };
      }
    });
    socket.on('close', (code: number, reason: Buffer) => {
      clearTimeout(connection.idle);
      clearTimeout(connection.lifetime);
      connections.delete(facts.connectionId);
      if (stopping) return;
      void disconnect(facts, connection.closedBy ?? clientClose(code, reason.toString()));
    });
  }

  async function onMessage(connection: Connection, data: Buffer, isBinary: boolean): Promise<void> {
    const time = new Date();
    const requestId = gatewayId();
    const text = isBinary ? undefined : data.toString('utf8');
    const routeKey = selectRoute(text);
    const route = routes.get(routeKey);
    const { connectionId: id } = connection.facts;
    if (!route) return send(connection, JSON.stringify({ message: 'Forbidden', connectionId: id, requestId }));
    const event = wsMessageEvent(connection.facts, options.api, {
      routeKey,
      messageId: gatewayId(),
      requestId,
      time,
      body: text ?? data.toString('base64'),
      isBase64Encoded: isBinary,
    });
    let result: unknown;
    try {
      result = await call(route.handler, event);
    } catch (error) {
      options.report(`${routeKey} (${route.handler}) threw: ${(error as Error).stack ?? error}`);
      return send(connection, JSON.stringify({ message: 'Internal server error', connectionId: id, requestId }));
    }
    // Every route has a route response: what the integration returns as `body` goes back to the sender.
    const reply = typeof result === 'string' ? result : (result as { body?: unknown } | null)?.body;
    if (reply !== undefined && reply !== null) send(connection, String(reply));
  }

  /** Route selection expression `$request.body.action`; anything else goes to `$default`. */
  function selectRoute(text: string | undefined): string {
    if (text === undefined) return '$default';
    try {
      const action = (JSON.parse(text) as { action?: unknown } | null)?.action;
      if (typeof action === 'string' && !action.startsWith('$') && routes.has(action)) return action;
    } catch {
      // Not JSON: $default.
    }
    return '$default';
  }

  function send(connection: Connection, data: string | Buffer): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.lastActiveAt = Date.now();
    connection.socket.send(data);
  }

  function closeBy(connection: Connection, code: number, reason: string, disconnectReason: string): void {
    connection.closedBy ??= { statusCode: code, reason: disconnectReason };
    connection.socket.close(code, reason);
  }

  async function disconnect(facts: ConnectionFacts, close: { statusCode: number; reason: string }): Promise<void> {
    const route = routes.get('$disconnect');
    if (!route) return;
    const event = wsDisconnectEvent(facts, options.api, { ...close, requestId: gatewayId(), time: new Date() });
    try {
      await call(route.handler, event);
    } catch (error) {
      options.report(`$disconnect (${route.handler}) threw: ${(error as Error).stack ?? error}`);
    }
  }

  async function managementApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string;
    // The SDK appends /@connections/{id} to the endpoint's path (deployed: the stage, e.g. /prod).
    const match = /^(?:\/[^/]+)?\/@connections\/([^/]+)$/.exec(path);
    if (!match) {
      req.resume();
      return answer(res, 404, { message: 'Not Found' });
    }
    let id: string;
    try {
      id = decodeURIComponent(match[1] as string);
    } catch {
      req.resume();
      return answer(res, 400, { message: 'Invalid connection id' });
    }
    const connection = connections.get(id);
    const open = connection && connection.socket.readyState === connection.socket.OPEN;
    const body = await readAll(req, options.messageLimit);
    if (!open || !connection) return answer(res, 410, {}, 'GoneException');
    switch (req.method) {
      case 'POST': {
        if (!body) return answer(res, 413, { message: 'Message too long' }, 'PayloadTooLargeException');
        send(connection, isUtf8(body) ? body.toString('utf8') : body);
        return answer(res, 200);
      }
      case 'GET':
        return answer(res, 200, {
          connectedAt: new Date(connection.facts.connectedAt).toISOString(),
          identity: { sourceIp: connection.facts.sourceIp, userAgent: connection.facts.userAgent ?? '' },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
      case 'DELETE':
        closeBy(connection, 1000, '', 'Connection deleted through @connections');
        return answer(res, 204);
      default:
        return answer(res, 404, { message: 'Not Found' });
    }
  }

  return {
    connectionCount: () => connections.size,
    async close(): Promise<void> {
      stopping = true;
      for (const connection of connections.values()) connection.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** What the WebSocket stage's access log (infra/constructs/api.ts) holds for a connection refused before `$connect` ran. */
export function wsRefusalLine(
  handshake: Pick<HandshakeFacts, 'requestId' | 'time'>,
  facts: Pick<ConnectionFacts, 'connectionId' | 'sourceIp' | 'userAgent'>,
  refusal: { status: number; error: string; authorizerError?: string },
): AccessLine {
  return {
    requestId: handshake.requestId,
    extendedRequestId: handshake.requestId,
    requestTime: requestTime(handshake.time),
    sourceIp: facts.sourceIp || '-',
    userAgent: facts.userAgent || '-',
    connectionId: facts.connectionId,
    eventType: 'CONNECT',
    routeKey: '$connect',
    status: String(refusal.status),
    integrationLatency: '-',
    integrationError: '-',
    authorizerError: refusal.authorizerError ?? '-',
    error: refusal.error,
  };
}

function statusOf(result: unknown): number {
  const status = (result as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : 200;
}

function clientClose(code: number, reason: string): { statusCode: number; reason: string } {
  if (code === 1005) return { statusCode: 1005, reason: 'Client-side close frame status not set' };
  if (code === 1006) return { statusCode: 1006, reason: 'Connection closed abnormally' };
  return { statusCode: code, reason: `Client-side close frame status code ${code}${reason ? `: ${reason}` : ''}` };
}

/** The IAM policy a WebSocket REQUEST authorizer answers, evaluated for the `$connect` method ARN. */
export function evaluatePolicy(result: unknown, methodArn: string): 'allow' | 'deny' | 'invalid' {
  const r = result as {
    principalId?: unknown;
    policyDocument?: { Statement?: unknown };
    context?: unknown;
  } | null;
  if (!r || typeof r.principalId !== 'string' || !Array.isArray(r.policyDocument?.Statement)) return 'invalid';
  // API Gateway refuses nested values in an authorizer's context.
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object') return 'invalid';
    if (Object.values(r.context).some((v) => v !== null && typeof v === 'object')) return 'invalid';
  }
  const applies = (statement: { Action?: unknown; Resource?: unknown }) =>
    list(statement.Action).some((a) => wildcard(a, 'execute-api:Invoke')) &&
    list(statement.Resource).some((resource) => wildcard(resource, methodArn));
  const statements = r.policyDocument?.Statement as { Effect?: unknown; Action?: unknown; Resource?: unknown }[];
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return 'deny';
  return statements.some((s) => s.Effect === 'Allow' && applies(s)) ? 'allow' : 'deny';
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function wildcard(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*').replaceAll('\\?', '.')}$`);
  return regex.test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
}

function reject(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function answer(res: ServerResponse, status: number, body?: unknown, errorType?: string): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(payload ? { 'content-type': 'application/json' } : {}),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

function readAll(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
