// AWS SDK clients, created once per container. Endpoints come from the SDK's standard
// AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local stack points them at its emulators.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';

let dynamo: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let ses: SESv2Client | undefined;
let connections: ApiGatewayManagementApiClient | undefined;
let secrets: SecretsManagerClient | undefined;

export const aws = {
  get dynamo(): DynamoDBDocumentClient {
    dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 4 }), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    return dynamo;
  },
  get s3(): S3Client {
    s3 ??= new S3Client({ forcePathStyle: config.s3ForcePathStyle });
    return s3;
  },
  get ses(): SESv2Client {
    ses ??= new SESv2Client({ maxAttempts: 3 });
    return ses;
  },
  get secrets(): SecretsManagerClient {
    secrets ??= new SecretsManagerClient({ maxAttempts: 3 });
    return secrets;
  },
  get connections(): ApiGatewayManagementApiClient {
    connections ??= new ApiGatewayManagementApiClient({ endpoint: config.connectionsEndpoint, maxAttempts: 2 });
    return connections;
  },
};
