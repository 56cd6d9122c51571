import { describe, expect, it } from 'vitest';
import {
  bodyV2,
  gatewayId,
  headerPairs,
  headersV2,
  normalizeIp,
  queryV2,
  requestTime,
  wsDisconnectEvent,
  wsMessageEvent,
} from '../../../../../infra/local/gateway/events.js';

const facts = { sourceIp: '10.1.2.3', port: 3000, time: new Date('2026-03-12T19:03:58.390Z') };

describe('payload 2.0 headers', () => {
  it('lower-cases names, joins repeated headers with commas and moves cookies to their own list', () => {
    const rawHeaders = ['Host', 'api.local', 'X-Dup', 'one', 'x-dup', 'two', 'Cookie', 'a=1; b=2', 'cookie', 'c=3'];
    const { headers, cookies } = headersV2(headerPairs({ ...facts, rawHeaders }));
    expect(headers).toMatchObject({ host: 'api.local', 'x-dup': 'one,two', 'x-forwarded-for': '10.1.2.3' });
    expect(headers).not.toHaveProperty('cookie');
    expect(cookies).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('appends the client to an existing x-forwarded-for and adds a trace id', () => {
    const { headers } = headersV2(headerPairs({ ...facts, rawHeaders: ['X-Forwarded-For', '1.1.1.1'] }));
    expect(headers['x-forwarded-for']).toBe('1.1.1.1, 10.1.2.3');
    expect(headers['x-forwarded-port']).toBe('3000');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });
});

describe('payload 2.0 query and body', () => {
  it('joins repeated query parameters with commas and decodes them', () => {
    expect(queryV2('a=1&a=2&q=nota+fiscal&e=%C3%A9')).toEqual({ a: '1,2', q: 'nota fiscal', e: 'é' });
    expect(queryV2('')).toBeUndefined();
  });

  it('passes JSON and text bodies as text and everything else base64-encoded', () => {
    const bytes = Buffer.from('{"a":1}');
    expect(bodyV2(bytes, 'application/json; charset=utf-8', undefined)).toEqual({
      body: '{"a":1}',
      isBase64Encoded: false,
    });
    expect(bodyV2(bytes, 'application/problem+json', undefined).isBase64Encoded).toBe(false);
    expect(bodyV2(bytes, 'text/plain', undefined).isBase64Encoded).toBe(false);
    for (const type of [
      'image/png',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    ]) {
      expect(bodyV2(bytes, type, undefined)).toEqual({ body: bytes.toString('base64'), isBase64Encoded: true });
    }
    expect(bodyV2(bytes, 'application/json', 'gzip').isBase64Encoded).toBe(true);
    expect(bodyV2(Buffer.alloc(0), 'application/json', undefined)).toEqual({ body: undefined, isBase64Encoded: false });
  });
});

describe('identifiers and times', () => {
  it('writes requestTime as API Gateway does', () => {
    expect(requestTime(facts.time)).toBe('12/Mar/2026:19:03:58 +0000');
  });

  it('makes ids shaped like API Gateway request and connection ids', () => {
    expect(gatewayId()).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(gatewayId()).not.toBe(gatewayId());
  });

  it('reports an IPv4 client on a dual-stack socket by its IPv4 address', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::1')).toBe('::1');
  });
});

describe('WebSocket route events', () => {
  const connection = {
    connectionId: 'abc=',
    connectedAt: 1,
    sourceIp: '127.0.0.1',
    domainName: 'localhost',
    authorizer: { principalId: 'u1', userId: 'u1', integrationLatency: 3 },
  };
  const api = { apiId: 'api', stage: 'local' };

  it('message events carry the authorizer and neither headers nor type nor methodArn', () => {
    const event = wsMessageEvent(connection, api, {
      routeKey: 'ping',
      messageId: 'm',
      requestId: 'r',
      time: facts.time,
      body: '{}',
      isBase64Encoded: false,
    });
    expect(event.requestContext).toMatchObject({
      routeKey: 'ping',
      messageId: 'm',
      eventType: 'MESSAGE',
      authorizer: connection.authorizer,
    });
    expect(Object.keys(event).sort()).toEqual(['body', 'isBase64Encoded', 'requestContext']);
  });

  it('$disconnect events say why the connection closed', () => {
    const event = wsDisconnectEvent(connection, api, {
      statusCode: 1001,
      reason: 'Idle timeout',
      requestId: 'r',
      time: facts.time,
    });
    expect(event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      disconnectStatusCode: 1001,
      disconnectReason: 'Idle timeout',
    });
    expect(event.headers.Host).toBe('localhost');
  });
});
