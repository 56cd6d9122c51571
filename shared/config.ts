// Every setting a function reads, in one place. The stack sets these on each function; the local
// stack sets the same names (plus the SDK's own AWS_ENDPOINT_URL_<SERVICE> endpoints) for its emulators.
import { defaultNotifyBatchSeconds } from './domain/notifications.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const config = {
  get tableName() {
    return required('TABLE_NAME');
  },
  get bucketName() {
    return required('BUCKET_NAME');
  },
  get mailFrom() {
    return required('MAIL_FROM');
  },
  /** The SES configuration set every e-mail is sent with (it publishes bounces and complaints). */
  get configurationSet(): string | undefined {
    return process.env.SES_CONFIGURATION_SET || undefined;
  },
  /** The retired support address whose mail gets the automatic reply (context `supportAddress`). */
  get supportAddress(): string | undefined {
    return process.env.SUPPORT_ADDRESS || undefined;
  },
  /** Base URL of the web app, for links in e-mails. */
  get webUrl() {
    return required('WEB_URL');
  },
  /** JWT signing key, given directly (local stack, tests); otherwise read from Secrets Manager at `jwtSecretArn`. */
  get jwtSecret(): string | undefined {
    return process.env.JWT_SECRET || undefined;
  },
  get jwtSecretArn() {
    return required('JWT_SECRET_ARN');
  },
  /** The host platform's shared secret for `POST /auth/platform`; same pattern as the JWT key. */
  get platformSecret(): string | undefined {
    return process.env.PLATFORM_SECRET || undefined;
  },
  get platformSecretArn() {
    return required('PLATFORM_SECRET_ARN');
  },
  /** scrypt cost N for new password hashes (a power of two); tests lower it, production keeps 2^17. */
  get scryptCost(): number | undefined {
    const value = Number(process.env.ATENDE_SCRYPT_N);
    return Number.isInteger(value) && value > 1 ? value : undefined;
  },
  /** Browser origins allowed to open a WebSocket. */
  get webOrigins(): string[] {
    return (process.env.WEB_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  },
  /** The WebSocket API's management endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`). */
  get connectionsEndpoint() {
    return required('CONNECTIONS_ENDPOINT');
  },
  /** S3 emulators address buckets by path, not by virtual host. */
  get s3ForcePathStyle() {
    return process.env.S3_FORCE_PATH_STYLE === 'true';
  },
  /** Requests each source IP may make to the anonymous routes per 5 minutes (domain/limits.ts). */
  get anonymousLimit(): number {
    const value = Number(process.env.ATENDE_ANONYMOUS_LIMIT);
    return Number.isInteger(value) && value > 0 ? value : 300;
  },
  /** Base URL of the HTTP API, for links a mail client calls itself (one-click unsubscribe). */
  get apiUrl() {
    return required('API_URL');
  },
  /** Seconds a reply notification waits for more changes before it is e-mailed (tests lower it). */
  get notifyBatchSeconds(): number {
    const value = Number(process.env.ATENDE_NOTIFY_BATCH_SECONDS || Number.NaN);
    return Number.isFinite(value) && value >= 0 ? value : defaultNotifyBatchSeconds;
  },
  get version() {
    return process.env.ATENDE_VERSION ?? '0.1.0';
  },
};
