// The environment every function gets in the local stack, in ONE place. Deployed, the stack's Api
// construct sets the same names; the AWS_ENDPOINT_URL_<SERVICE> variables are the SDK v3's own way to
// point a client at another endpoint, so handler code never asks whether it runs locally.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOrigins } from '../origins.js';
import { localTableName } from '../table.js';
import type { Ports } from './ports.js';

export const localBucketName = 'atende-evidence';
export const localRegion = 'us-east-1';
export const localMailFrom = 'Atende <support@atende.local>';
/** The local stand-in for the deployment's SES configuration set (infra/local/ses-events.ts). */
export const localConfigurationSet = 'atende-local';
/** Where the local SMTP listener stores received mail (deployed: the Mailbox construct's bucket). */
export const localInboundBucketName = 'atende-inbound';
/** The retired support address (api.md, "Local stack"); deployed, context `supportAddress`. */
export const localSupportAddress = (): string => process.env.ATENDE_SUPPORT_ADDRESS || 'atendimento@atende.local';

/** s3rver only knows this key pair and checks signatures with it; DynamoDB Local and the SES emulator accept any. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalEnvironmentOptions {
  ports: Ports;
  /** Root of the local data: DynamoDB Local files, S3 objects, logs, local keys. */
  dataDir: string;
  tableName?: string;
  bucketName?: string;
}

/** The service endpoints as seen from this machine (the SDK clients connect to IPv4 loopback). */
export function serviceUrls(ports: Ports) {
  return {
    httpUrl: `http://localhost:${ports.http}`,
    wsUrl: `ws://localhost:${ports.ws}`,
    sesUrl: `http://127.0.0.1:${ports.ses}`,
    s3Url: `http://127.0.0.1:${ports.s3}`,
    dynamoUrl: `http://127.0.0.1:${ports.dynamodb}`,
    connectionsUrl: `http://127.0.0.1:${ports.ws}`,
  };
}

/** Browser origins of the web app served by the local gateway. */
export function localWebOrigins(ports: Ports): string[] {
  return [`http://localhost:${ports.http}`, `http://127.0.0.1:${ports.http}`];
}

/** The demo host platform's page (host-demo.ts), another origin than the app's; undefined when it is off. */
export const hostDemoUrl = (ports: Ports): string | undefined =>
  ports.hostDemo ? `http://localhost:${ports.hostDemo}` : undefined;

/**
 * Origins whose pages may frame the chat (`/embed`) and talk to it: ATENDE_EMBED_ORIGINS (comma-separated)
 * replaces the default, which is the demo host platform. Deployed, context `embedOrigins` says the same.
 */
export function localEmbedOrigins(ports: Ports, env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = parseOrigins(env.ATENDE_EMBED_ORIGINS, 'ATENDE_EMBED_ORIGINS');
  if (configured.length > 0) return configured;
  const demo = hostDemoUrl(ports);
  return demo ? [demo] : [];
}

export function functionEnvironment(options: LocalEnvironmentOptions): Record<string, string> {
  const urls = serviceUrls(options.ports);
  return {
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamoUrl,
    AWS_ENDPOINT_URL_SESV2: urls.sesUrl,
    AWS_ENDPOINT_URL_S3: urls.s3Url,
    S3_FORCE_PATH_STYLE: 'true',
    TABLE_NAME: options.tableName ?? localTableName,
    BUCKET_NAME: options.bucketName ?? localBucketName,
    MAIL_FROM: localMailFrom,
    SUPPORT_ADDRESS: localSupportAddress(),
    SES_CONFIGURATION_SET: localConfigurationSet,
    WEB_URL: urls.httpUrl,
    API_URL: urls.httpUrl,
    WEB_ORIGINS: localWebOrigins(options.ports).join(','),
    CONNECTIONS_ENDPOINT: urls.connectionsUrl,
    // Deployed: Atende/<stage> (shared/observability/metrics.ts).
    POWERTOOLS_METRICS_NAMESPACE: 'Atende/local',
    ATENDE_DATA_DIR: options.dataDir,
    JWT_SECRET: localJwtKey(options.dataDir),
    PLATFORM_SECRET: localPlatformSecret(),
    // Tests may lower the password hashing cost; npm start keeps production's.
    ...(process.env.ATENDE_SCRYPT_N ? { ATENDE_SCRYPT_N: process.env.ATENDE_SCRYPT_N } : {}),
    // The per-IP limit of anonymous routes (shared/http/anonymous-limit.ts); tests sign in from one address.
    ...(process.env.ATENDE_ANONYMOUS_LIMIT ? { ATENDE_ANONYMOUS_LIMIT: process.env.ATENDE_ANONYMOUS_LIMIT } : {}),
    // How long reply notifications wait to batch (default 120 s); tests shorten it.
    ...(process.env.ATENDE_NOTIFY_BATCH_SECONDS
      ? { ATENDE_NOTIFY_BATCH_SECONDS: process.env.ATENDE_NOTIFY_BATCH_SECONDS }
      : {}),
  };
}

/** The key that signs access tokens locally: made once, kept under the data directory (deployed: Secrets Manager). */
export function localJwtKey(dataDir: string): string {
  const file = join(dataDir, 'jwt.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first; theirs is the key.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** Printed on start: the demo host-platform page and anyone testing `POST /auth/platform` sign with it. */
export const defaultPlatformSecret = 'atende-local-platform-secret-change-me';
export const localPlatformSecret = (): string => process.env.ATENDE_PLATFORM_SECRET || defaultPlatformSecret;
