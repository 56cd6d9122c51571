// The contract's error family (docs/api.md, "Errors"). Domain code throws these; the HTTP and WebSocket
// pipelines map them to the contract's body. Anything else is a bug and becomes a 500.

export type ErrorCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorDetail {
  path: string;
  issue: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. `retry-after`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /**
   * Why, for the request log only (never in the answer): e.g. a sign-in refused for a disabled account
   * answers exactly like a wrong password, and only its request line says `account_disabled`.
   */
  reason?: string;

  because(reason: string): this {
    this.reason = reason;
    return this;
  }
}

export class ValidationFailed extends AppError {
  constructor(details: ErrorDetail[]) {
    super(400, 'validation_failed', details.map((d) => `${d.path || '(body)'}: ${d.issue}`).join('; '), details);
  }
  static of(path: string, issue: string): ValidationFailed {
    return new ValidationFailed([{ path, issue }]);
  }
}
export class MalformedJson extends AppError {
  constructor() {
    super(400, 'malformed_json', 'body is not valid JSON');
  }
}
export class Unauthenticated extends AppError {
  constructor(message = 'missing, expired or invalid token') {
    super(401, 'unauthenticated', message);
  }
}
export class InvalidCredentials extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'e-mail or password is incorrect');
  }
}
export class Forbidden extends AppError {
  constructor(message = 'your role may not do this') {
    super(403, 'forbidden', message);
  }
}
export class NotFound extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', `${what} not found`);
  }
}
export class Conflict extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}
export class Gone extends AppError {
  constructor(message = 'this link has expired or was already used') {
    super(410, 'gone', message);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(limit: number) {
    super(413, 'payload_too_large', `body is over the limit of ${limit} bytes`);
  }
}
export class UnsupportedMediaType extends AppError {
  constructor() {
    super(415, 'unsupported_media_type', 'send the body as application/json');
  }
}
export class RateLimited extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', 'too many attempts, try again later', undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}
export class Unavailable extends AppError {
  constructor(dependency: string) {
    super(503, 'unavailable', `${dependency} is unavailable, try again`);
  }
}

/** The part of an error a client sees; an unexpected error is an opaque 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDependencyFailure(error)) return new Unavailable('a dependency');
  // A transaction is all or nothing: one cancelled for a reason its caller did not handle wrote nothing,
  // and what cancels one unexpectedly (throttling, a conflict that kept recurring) passes if tried later.
  if (error instanceof Error && error.name === 'TransactionCanceledException') return new Unavailable('DynamoDB');
  return new AppError(500, 'internal', 'internal error');
}

// The SDK has already retried by the time one of these reaches us (docs/api.md: 503 after retries).
const dependencyFailures = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TooManyRequestsException',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'SlowDown',
]);

function isDependencyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  return (
    dependencyFailures.has(e.name) ||
    (e.code !== undefined && dependencyFailures.has(e.code)) ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
    e.$retryable !== undefined
  );
}
