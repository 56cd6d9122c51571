import { SESv2Client } from '@aws-sdk/client-sesv2';

let client: SESv2Client | undefined;

/** E-mail (see dynamo.ts for why one module per client). */
export function sesClient(): SESv2Client {
  client ??= new SESv2Client({ maxAttempts: 3 });
  return client;
}
