// A small client for the local gateway's HTTP API: JSON in, parsed JSON out, never throws on a status.
//
//   const res = await api.post('/tickets', { token, body: { subject: '…' } });
//   expect(res.status).toBe(201);
import { inject } from 'vitest';
import { checkHttpAnswer } from './contract.js';

export interface RequestOptions {
  /** Sent as JSON (with `content-type: application/json`) unless `rawBody` is given. */
  body?: unknown;
  /** Sent as is; pair it with `contentType`. */
  rawBody?: string | Buffer;
  contentType?: string;
  /** An access token: sent as `authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

/** Tests read response bodies freely (`res.body.error.code`); narrow with a type argument when useful. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export type Json = any;

export interface ApiResponse<B = Json> {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, the text otherwise, undefined when empty. */
  body: B;
}

export async function request<B = Json>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<B>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.rawBody !== undefined) {
    body = typeof options.rawBody === 'string' ? options.rawBody : new Uint8Array(options.rawBody);
    if (options.contentType) headers['content-type'] = options.contentType;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(new URL(path, inject('stack').httpUrl), { method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  let parsed: unknown = text === '' ? undefined : text;
  if (text !== '' && type.includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Keep the text: a test may be checking exactly that.
    }
  }
  const answer = { status: response.status, headers: Object.fromEntries(response.headers), body: parsed as B };
  // Every answer a test receives is held to the committed API reference (docs/openapi.json).
  checkHttpAnswer(method, path, answer.status, answer.headers, answer.body);
  return answer;
}

export const api = {
  get: <B = Json>(path: string, options?: RequestOptions) => request<B>('GET', path, options),
  post: <B = Json>(path: string, options?: RequestOptions) => request<B>('POST', path, options),
  put: <B = Json>(path: string, options?: RequestOptions) => request<B>('PUT', path, options),
  patch: <B = Json>(path: string, options?: RequestOptions) => request<B>('PATCH', path, options),
  delete: <B = Json>(path: string, options?: RequestOptions) => request<B>('DELETE', path, options),
};
