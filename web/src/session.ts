// The signed-in session: tokens and user, kept in localStorage so every tab of the app shares it.
// Access tokens live 15 minutes; they are refreshed a minute before they expire and whenever the API
// answers 401. Refresh tokens are single-use and a reused one revokes the whole chain, so two tabs must
// never refresh with the same token: the refresh runs under a Web Lock, and a tab that gets the lock
// after another tab has already rotated the token simply adopts the new one.
import { ApiError, send } from './api/http.js';
import type { SessionAnswer, User } from './api/types.js';
import { clearDrafts } from './lib/drafts.js';
import { createStore, useStore } from './lib/store.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: User;
}

/**
 * Why the last session ended: signed out here, signed out of every device, or expired (the app sends an
 * expired session back to login, keeping the way back).
 */
export type EndReason = 'logout' | 'everywhere' | 'expired';

const storageKey = 'atende.session';
const refreshAhead = 60_000;

function read(): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Session | null;
    return value && typeof value.refreshToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

export const sessionStore = createStore<Session | null>(read());
export const endStore = createStore<{ reason: EndReason; at: number } | null>(null);

let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  clearTimeout(timer);
  const current = sessionStore.get();
  if (!current) return;
  timer = setTimeout(
    () => {
      refresh().catch(() => undefined);
    },
    Math.max(0, current.expiresAt - Date.now() - refreshAhead),
  );
}

function write(value: Session | null, reason?: EndReason): void {
  const had = sessionStore.get() !== null;
  if (value) localStorage.setItem(storageKey, JSON.stringify(value));
  else localStorage.removeItem(storageKey);
  sessionStore.set(value);
  schedule();
  if (!value && had) endStore.set({ reason: reason ?? 'expired', at: Date.now() });
}

export function adopt(answer: SessionAnswer): User {
  write({
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    expiresAt: Date.now() + answer.expiresIn * 1000,
    user: answer.user,
  });
  return answer.user;
}

export async function login(email: string, password: string): Promise<User> {
  return adopt(await send<SessionAnswer>('POST', '/auth/login', { body: { email, password } }));
}

export async function logout(): Promise<void> {
  const current = sessionStore.get();
  clearDrafts();
  write(null, 'logout');
  if (current) await send('POST', '/auth/logout', { body: { refreshToken: current.refreshToken } }).catch(() => {});
}

/**
 * Ends every session and live connection of the person (`POST /auth/logout-all`), this one last. When the
 * API cannot be told, this one stays too and the caller says so: the person asked for the others to end.
 */
export async function logoutEverywhere(): Promise<void> {
  const token = await accessToken();
  try {
    if (token) await send('POST', '/auth/logout-all', { token });
  } catch (error) {
    // A 401: this session had already been ended elsewhere, and with it every other one.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  clearDrafts();
  write(null, 'everywhere');
}

/** Ends the session because the API no longer accepts it (the typed drafts stay). */
export function expire(): void {
  write(null, 'expired');
}

let refreshing: Promise<Session | null> | null = null;

/** A fresh session, or null when it can no longer be refreshed (then it has ended as `expired`). */
export function refresh(): Promise<Session | null> {
  refreshing ??= refreshOnce().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function refreshOnce(): Promise<Session | null> {
  const before = sessionStore.get();
  if (!before) return null;
  const run = async (): Promise<Session | null> => {
    const latest = read();
    if (!latest) {
      write(null, 'expired');
      return null;
    }
    if (latest.refreshToken !== before.refreshToken && latest.expiresAt - Date.now() > refreshAhead) {
      sessionStore.set(latest);
      schedule();
      return latest;
    }
    try {
      adopt(await send<SessionAnswer>('POST', '/auth/refresh', { body: { refreshToken: latest.refreshToken } }));
      return sessionStore.get();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        write(null, 'expired');
        return null;
      }
      throw error;
    }
  };
  return typeof navigator.locks?.request === 'function' ? navigator.locks.request('atende.refresh', run) : run();
}

/** An access token valid for at least a little while, refreshing first when needed. */
export async function accessToken(): Promise<string | null> {
  const current = sessionStore.get();
  if (!current) return null;
  if (current.expiresAt - Date.now() > 30_000) return current.accessToken;
  return (await refresh())?.accessToken ?? null;
}

export function updateUser(user: User): void {
  const current = sessionStore.get();
  if (current) write({ ...current, user });
}

// Another tab signed in, refreshed or signed out.
window.addEventListener('storage', (event) => {
  if (event.key !== storageKey && event.key !== null) return;
  const next = read();
  if (!next && sessionStore.get()) write(null, 'logout');
  else {
    sessionStore.set(next);
    schedule();
  }
});

schedule();

export const useSession = (): Session | null => useStore(sessionStore);
