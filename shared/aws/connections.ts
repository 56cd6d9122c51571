import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { config } from '../config.js';

let client: ApiGatewayManagementApiClient | undefined;

/** The WebSocket API's @connections endpoint (see dynamo.ts for why one module per client). */
export function connectionsClient(): ApiGatewayManagementApiClient {
  client ??= new ApiGatewayManagementApiClient({ endpoint: config.connectionsEndpoint, maxAttempts: 2 });
  return client;
}
