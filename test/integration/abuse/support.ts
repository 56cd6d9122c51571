// What the abuse tests share: requests sent from a chosen loopback address. The local gateway takes a
// request's source IP from its socket (infra/local/gateway/http.ts), as API Gateway does, and Linux routes
// all of 127.0.0.0/8 on loopback, so binding the client socket to 127.0.0.2 is an honest second address.
import { request as httpRequest } from 'node:http';
import { inject } from 'vitest';
import type { ApiResponse, Json } from '../../support/http.js';

/** Sends a JSON request from `localAddress` (a 127.x.y.z address) to the test stack's HTTP API, or to `base`. */
export function requestFrom(
  localAddress: string,
  method: string,
  path: string,
  body?: unknown,
  options: { headers?: Record<string, string>; base?: string } = {},
): Promise<ApiResponse<Json>> {
  const url = new URL(path, options.base ?? inject('stack').httpUrl);
  const headers = options.headers ?? {};
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        localAddress,
        // A fresh connection each time, so no pooled socket from another address is reused.
        agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const json = (res.headers['content-type'] ?? '').includes('json') && text !== '';
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([name, value]) => [name, String(value)]),
            ) as Record<string, string>,
            body: json ? JSON.parse(text) : text || undefined,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `task` for every index below `count`, at most `concurrency` at a time; answers results in order. */
export async function inParallel<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
