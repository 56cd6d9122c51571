// The AWS side of a fan-out, mocked for unit tests: the table subscribers are read from, and API Gateway's
// @connections API, which accepts every post unless a test says otherwise. Call it at a test file's top level.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach } from 'vitest';

export function mockFanout() {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const gateway = mockClient(ApiGatewayManagementApiClient);
  beforeAll(() => {
    process.env.TABLE_NAME ??= 'atende';
    process.env.CONNECTIONS_ENDPOINT ??= 'http://127.0.0.1:1';
  });
  beforeEach(() => {
    dynamo.reset();
    gateway.reset();
    gateway.on(PostToConnectionCommand).resolves({});
  });
  return { dynamo, gateway };
}
