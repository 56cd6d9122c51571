// Calls the API as the signed-in user: adds the access token, refreshes it once on a 401 and retries.
import { accessToken, expire, refresh } from '../session.js';
import { ApiError, type SendOptions, send } from './http.js';

async function call<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
  const token = await accessToken();
  if (!token) {
    expire();
    throw new ApiError(401, 'unauthenticated', 'not signed in');
  }
  try {
    return await send<T>(method, path, { ...options, token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    const renewed = await refresh();
    if (!renewed) throw error;
    return send<T>(method, path, { ...options, token: renewed.accessToken });
  }
}

export const api = {
  get: <T>(path: string, query?: SendOptions['query']) => call<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, { body, headers }),
  patch: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
    call<T>('PATCH', path, { body, headers }),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, { body }),
  delete: <T>(path: string) => call<T>('DELETE', path),
};
