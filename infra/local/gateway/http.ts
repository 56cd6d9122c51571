// The HTTP API: route selection, CORS, payload 2.0 events, API Gateway's limits
// and the answers it gives on its own ({"message": "..."}), and the web app's files at `/`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { NotFound } from '../../../shared/errors.js';
import { errorResult } from '../../../shared/http/handler.js';
import { embedPage, embedScript } from '../../embed.js';
import { securityHeaders } from '../../web-security.js';
import { InvocationTimeout, invoke } from '../lambda.js';
import { type AccessLine, printAccessLine, requestTime } from '../request-log.js';
import { type ApiFacts, gatewayId, type HttpRequestFacts, httpEvent, normalizeIp, type RouteFacts } from './events.js';
import { matchHttpRoute } from './route-match.js';
import type { GatewayHttpRoute, GatewayRoutes } from './routes.js';

export interface HttpGatewayOptions {
  root: string;
  routes: GatewayRoutes;
  api: ApiFacts;
  webOrigins: readonly string[];
  /** The built web app, served at `/` when it exists. */
  webDist?: string;
  /** API Gateway: 30 s for HTTP APIs. */
  integrationTimeoutMs: number;
  /** API Gateway: 10 MB for HTTP APIs. */
  payloadLimit: number;
  /** The page shown at `/` while there is no web app. */
  indexPage(): string;
  /** The WebSocket API's port, for the web app's /config.json. */
  wsPort(): number;
  /** Host origins whose pages may frame the chat (`/embed`), as context `embedOrigins` says deployed. */
  embedOrigins?: readonly string[];
  /** The S3 emulator's origin, which the app uploads evidence to (its CSP's connect-src). */
  evidenceOrigin?: string;
  /** Where the gateway reports what CloudWatch would show of a failing function. */
  report(message: string): void;
  /** Where the access line of a request refused before any function ran goes; printed (marked) by default. */
  accessLog?(line: AccessLine): void;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** API Gateway's own answer to a CORS preflight, whose CORS headers stay. */
  preflight?: boolean;
  /** Set when the gateway refused the request before any function ran: only the access log tells. */
  refusal?: Refusal;
}

interface Refusal {
  routeKey: string;
  error: string;
}

const refused = (answer: Answer, refusal: Refusal): Answer => ({ ...answer, refusal });

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(value)),
});

// What API Gateway answers by itself; its exact bodies.
const gatewayAnswers = {
  tooLarge: () => json(413, { message: 'Request Entity Too Large' }),
  internalError: () => json(500, { message: 'Internal Server Error' }),
  unavailable: () => json(503, { message: 'Service Unavailable' }),
};

export function httpGateway(options: HttpGatewayOptions) {
  const routes = options.routes.httpRoutes;
  const accessLog = options.accessLog ?? printAccessLine;

  return async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = gatewayId();
    const time = new Date();
    const origin = req.headers.origin;
    let answer: Answer;
    try {
      answer = await handle(req, requestId);
    } catch (error) {
      options.report(`gateway error on ${req.method} ${req.url}: ${(error as Error).stack ?? error}`);
      answer = gatewayAnswers.internalError();
    }
    write(res, answer, requestId, origin);
    if (!answer.refusal) return;
    const { status, body, refusal } = answer;
    accessLog(httpRefusalLine(req, { requestId, time, status, responseLength: body?.length ?? 0, ...refusal }));
  };

  async function handle(req: IncomingMessage, requestId: string): Promise<Answer> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
      req.resume();
      return preflight(req.headers.origin);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooLarge = () =>
      refused(closing(gatewayAnswers.tooLarge()), { routeKey: '-', error: 'Request Entity Too Large' });
    if (declared > options.payloadLimit) return tooLarge();
    const body = await readBody(req, options.payloadLimit);
    if (!body) return tooLarge();

    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const facts: HttpRequestFacts = {
      method,
      rawPath: queryAt < 0 ? url : url.slice(0, queryAt),
      rawQueryString: queryAt < 0 ? '' : url.slice(queryAt + 1),
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: normalizeIp(req.socket.remoteAddress),
      protocol: `HTTP/${req.httpVersion}`,
      port: req.socket.localPort ?? 0,
      requestId,
      time: new Date(),
    };

    // Locally one origin serves both the API and the web app (deployed: API Gateway and CloudFront). A
    // browser navigating to /tickets/01J… wants the app's page; its fetch of the same path wants the API.
    const readsFiles = method === 'GET' || method === 'HEAD';
    const navigation = readsFiles && (req.headers.accept ?? '').includes('text/html');
    if (navigation) {
      const page = staticAnswer(facts.rawPath, req.headers);
      if (page) return page;
    }
    const match = matchHttpRoute(routes, method, facts.rawPath);
    if (readsFiles && (!match || match.route.path === '$default')) {
      const file = staticAnswer(facts.rawPath, req.headers);
      if (file) return file;
    }
    if (!match) return notFound(requestId);
    const route: RouteFacts = {
      routeKey: match.route.path === '$default' ? '$default' : `${match.route.method} ${match.route.path}`,
      pathParameters: match.pathParameters,
    };

    return integrate(match.route, httpEvent(facts, route, options.api));
  }

  async function integrate(route: GatewayHttpRoute, event: unknown): Promise<Answer> {
    let result: unknown;
    try {
      result = await invoke(
        { root: options.root, file: route.handler, timeoutMs: options.integrationTimeoutMs, memoryMb: route.memory },
        event,
      );
    } catch (error) {
      if (error instanceof InvocationTimeout) {
        options.report(`${route.method} ${route.path}: ${error.message}`);
        return gatewayAnswers.unavailable();
      }
      options.report(`${route.method} ${route.path} (${route.handler}) threw: ${(error as Error).stack ?? error}`);
      return gatewayAnswers.internalError();
    }
    return integrationAnswer(result) ?? gatewayAnswers.internalError();
  }

  function preflight(origin: string): Answer {
    const cors = options.routes.httpCors;
    if (!cors || !options.webOrigins.includes(origin)) return { status: 204, headers: {}, preflight: true };
    return {
      status: 204,
      preflight: true,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': cors.allowMethods.join(','),
        'access-control-allow-headers': cors.allowHeaders.join(','),
        'access-control-max-age': String(cors.maxAgeSeconds),
        ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
        vary: 'origin',
      },
    };
  }

  function write(res: ServerResponse, answer: Answer, requestId: string, origin: string | undefined): void {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      // With CORS configured, API Gateway answers CORS itself and drops the integration's CORS headers.
      if (options.routes.httpCors && name.toLowerCase().startsWith('access-control-') && answer.status !== 204)
        continue;
      headers[name.toLowerCase()] = value;
    }
    const cors = options.routes.httpCors;
    if (cors && origin && options.webOrigins.includes(origin) && !headers['access-control-allow-origin']) {
      headers['access-control-allow-origin'] = origin;
      if (cors.exposeHeaders.length) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
      if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
      headers.vary = headers.vary ? `${headers.vary}, origin` : 'origin';
    }
    headers['apigw-requestid'] = requestId;
    headers['content-length'] = String(answer.body?.length ?? 0);
    res.writeHead(answer.status, headers);
    res.end(res.req.method === 'HEAD' ? undefined : answer.body);
  }

  /**
   * A file of the web app, with the security headers CloudFront sends (infra/web-security.ts): the frame
   * page `/embed` names the host origins that may frame it, every other file lets nobody frame it.
   */
  function staticAnswer(rawPath: string, headers: IncomingMessage['headers']): Answer | undefined {
    const answer = webFile(rawPath, headers);
    if (!answer) return undefined;
    const hostname = (headers.host ?? 'localhost').replace(/:\d+$/, '');
    const connect = [
      `ws://${hostname}:${options.wsPort()}`,
      ...(options.evidenceOrigin ? [options.evidenceOrigin] : []),
    ];
    const framed = rawPath === embedPage.path || rawPath === `/${embedPage.file}`;
    const policy = framed ? { connect, frameAncestors: options.embedOrigins ?? [] } : { connect };
    return { ...answer, headers: { ...answer.headers, ...securityHeaders(policy) } };
  }

  function webFile(rawPath: string, headers: IncomingMessage['headers']): Answer | undefined {
    if (rawPath === '/config.json') return webConfig(headers.host);
    if (!options.webDist || !existsSync(options.webDist)) {
      return rawPath === '/' ? html(options.indexPage()) : undefined;
    }
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return undefined;
    }
    const root = normalize(options.webDist);
    // As CloudFront's /embed behaviour does: the frame page under its own name (its headers: staticAnswer).
    if (path === embedPage.path || path === `/${embedPage.file}`) {
      const page = join(root, embedPage.file);
      if (!isFile(page)) return undefined;
      return fileAnswer(page, embedPage.cacheControl);
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep) && file !== root) return undefined;
    if (path === embedScript.path && isFile(file))
      return revalidated(fileAnswer(file, embedScript.cacheControl), headers);
    if (isFile(file)) return fileAnswer(file);
    // A client-side route of the single-page app (e.g. /accept-invite) gets index.html.
    const index = join(root, 'index.html');
    if (!extname(path) && headers.accept?.includes('text/html') && isFile(index)) return fileAnswer(index);
    return undefined;
  }

  /** Where the web app finds the APIs (deployed, the stack writes this file next to the app). */
  function webConfig(host: string | undefined): Answer {
    const hostname = (host ?? 'localhost').replace(/:\d+$/, '');
    return json(
      200,
      {
        apiUrl: `http://${host ?? 'localhost'}`,
        wsUrl: `ws://${hostname}:${options.wsPort()}`,
        embedOrigins: options.embedOrigins ?? [],
      },
      { 'cache-control': 'no-store' },
    );
  }
}

/** How API Gateway turns a payload 2.0 function result into a response; undefined when it is invalid. */
export function integrationAnswer(result: unknown): Answer | undefined {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    if (
      typeof r.statusCode !== 'number' ||
      !Number.isInteger(r.statusCode) ||
      r.statusCode < 100 ||
      r.statusCode > 599
    ) {
      return undefined;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(r.headers ?? {})) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    if (Array.isArray(r.cookies) && r.cookies.length) headers['set-cookie'] = r.cookies.map(String);
    const body =
      r.body === undefined || r.body === null
        ? undefined
        : Buffer.from(String(r.body), r.isBase64Encoded === true ? 'base64' : 'utf8');
    return { status: r.statusCode, headers, body };
  }
  // Without a statusCode, API Gateway assumes 200 and JSON.
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
}

/** What the HTTP stage's access log (infra/constructs/api.ts) holds for a request refused before any function ran. */
export function httpRefusalLine(
  req: Pick<IncomingMessage, 'method' | 'url' | 'httpVersion' | 'headers' | 'socket'>,
  refusal: Refusal & { requestId: string; time: Date; status: number; responseLength: number },
): AccessLine {
  return {
    requestId: refusal.requestId,
    requestTime: requestTime(refusal.time),
    sourceIp: normalizeIp(req.socket.remoteAddress) || '-',
    userAgent: req.headers['user-agent'] || '-',
    method: (req.method ?? 'GET').toUpperCase(),
    path: (req.url ?? '/').split('?')[0] as string,
    routeKey: refusal.routeKey,
    protocol: `HTTP/${req.httpVersion}`,
    status: String(refusal.status),
    responseLength: String(refusal.responseLength),
    responseLatency: String(Date.now() - refusal.time.getTime()),
    integrationLatency: '-',
    integrationStatus: '-',
    integrationError: '-',
    error: refusal.error,
  };
}

function notFound(requestId: string): Answer {
  const result = errorResult(new NotFound('route'), requestId);
  return json(result.status, result.body, { 'x-request-id': requestId });
}

function closing(answer: Answer): Answer {
  return { ...answer, headers: { ...answer.headers, connection: 'close' } };
}

/** The body, or undefined when it grew over the limit (chunked bodies have no content-length). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function fileAnswer(file: string, cacheControl?: string): Answer {
  return {
    status: 200,
    headers: {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': cacheControl ?? (file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300'),
    },
    body: readFileSync(file),
  };
}

/** With a validator, as S3 and CloudFront send one: a browser whose copy is current gets 304 and no body. */
function revalidated(answer: Answer, headers: IncomingMessage['headers']): Answer {
  const etag = `"${createHash('sha256')
    .update(answer.body ?? '')
    .digest('base64url')
    .slice(0, 27)}"`;
  if (headers['if-none-match'] === etag) return { status: 304, headers: { ...answer.headers, etag } };
  return { ...answer, headers: { ...answer.headers, etag } };
}

function html(page: string): Answer {
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(page) };
}
