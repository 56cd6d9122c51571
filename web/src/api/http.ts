import { config } from '../config.js';
import type { ErrorBody, ErrorDetail } from './types.js';

/** A failed call: the contract's error (status, code, details) or `network` when there was no answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field errors keyed by the first segment of their path (`subject`, `attachmentIds`, …). */
  fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const d of this.details) {
      const field = d.path.split(/[.[]/)[0] ?? '';
      if (field && !fields[field]) fields[field] = d.issue;
    }
    return fields;
  }
}

export interface SendOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  headers?: Record<string, string>;
  token?: string;
}

export function apiUrl(path: string, query?: SendOptions['query']): string {
  const url = new URL(config().apiUrl + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** One HTTP call to the API, without any session handling (see api.ts for that). */
export async function send<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', 'the API could not be reached');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as ErrorBody | undefined)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      error?.code ?? 'unexpected',
      error?.message ?? `HTTP ${response.status}`,
      error?.details ?? [],
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return parsed as T;
}
