// WebSocket route events as AWS documents them, written from the field lists of Powertools for Python's
// APIGatewayWebSocketConnectEventModel / APIGatewayWebSocketDisconnectEventModel /
// APIGatewayWebSocketMessageEventModel and of @types/aws-lambda's APIGatewayProxyWebsocketEventV2.
// (Powertools for TypeScript has only the $connect authorizer's event, APIGatewayProxyWebsocketEventSchema.)
import { z } from 'zod';

const identity = z.object({
  sourceIp: z.union([z.ipv4(), z.ipv6()]),
  userAgent: z.string().optional(),
});

const requestContextBase = z.object({
  extendedRequestId: z.string(),
  requestTime: z.string(),
  stage: z.string(),
  connectedAt: z.number().int(),
  requestTimeEpoch: z.number().int(),
  identity,
  requestId: z.string(),
  domainName: z.string(),
  connectionId: z.string(),
  apiId: z.string(),
});

const headers = z.record(z.string(), z.string());
const multiValueHeaders = z.record(z.string(), z.array(z.string()));

export const connectEventSchema = z.object({
  headers,
  multiValueHeaders,
  requestContext: requestContextBase.extend({
    routeKey: z.literal('$connect'),
    eventType: z.literal('CONNECT'),
    messageDirection: z.literal('IN'),
  }),
  isBase64Encoded: z.boolean(),
});

export const disconnectEventSchema = z.object({
  headers,
  multiValueHeaders,
  requestContext: requestContextBase.extend({
    routeKey: z.literal('$disconnect'),
    disconnectStatusCode: z.number().int(),
    eventType: z.literal('DISCONNECT'),
    messageDirection: z.literal('IN'),
    disconnectReason: z.string(),
  }),
  isBase64Encoded: z.boolean(),
});

export const messageEventSchema = z.object({
  requestContext: requestContextBase.extend({
    routeKey: z.string(),
    messageId: z.string(),
    eventType: z.literal('MESSAGE'),
    messageDirection: z.enum(['IN', 'OUT']),
  }),
  isBase64Encoded: z.boolean(),
  body: z.string().nullish(),
});

/** @types/aws-lambda APIGatewayProxyWebsocketEventV2 (its requestContext: APIGatewayEventWebsocketRequestContextV2). */
export const typesWebsocketEventV2Schema = z.object({
  requestContext: z.object({
    routeKey: z.string(),
    messageId: z.string(),
    eventType: z.enum(['CONNECT', 'MESSAGE', 'DISCONNECT']),
    extendedRequestId: z.string(),
    requestTime: z.string(),
    messageDirection: z.literal('IN'),
    stage: z.string(),
    connectedAt: z.number(),
    requestTimeEpoch: z.number(),
    requestId: z.string(),
    domainName: z.string(),
    connectionId: z.string(),
    apiId: z.string(),
  }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
  stageVariables: z.record(z.string(), z.string().optional()).optional(),
  queryStringParameters: z.record(z.string(), z.string().optional()).optional(),
  multiValueQueryStringParameters: z.record(z.string(), z.array(z.string()).optional()).optional(),
});
