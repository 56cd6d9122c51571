// One module per AWS client, so a function's bundle carries only the SDK clients it uses (cold start).
// Clients are created once per container. Endpoints come from the SDK's standard AWS_ENDPOINT_URL_<SERVICE>
// variables, which is how the local stack points them at its emulators.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 4 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return client;
}
