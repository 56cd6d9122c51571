import { S3Client } from '@aws-sdk/client-s3';
import { config } from '../config.js';

let client: S3Client | undefined;

/** The evidence bucket's client (see dynamo.ts for why one module per client). */
export function s3Client(): S3Client {
  client ??= new S3Client({ forcePathStyle: config.s3ForcePathStyle });
  return client;
}
