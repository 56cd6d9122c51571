// Sessions of the embedded chat come from the host platform, and the secret stays on its server: the frame asks
// the host page for a platform token (the host's `platformToken` function, which asks the host's backend) and
// exchanges it at POST /auth/platform. It asks when it needs a session: when the panel opens without one, when the
// kept session's refresh chain has ended, and once per page to learn whether the kept session is still the host's
// signed-in person (another person signed in on the host since: their own session; nobody: none).
import { send } from '../api/http.js';
import type { SessionAnswer } from '../api/types.js';
import { unverifiedClaims } from '../lib/jwt.js';
import { createStore } from '../lib/store.js';
import { adopt, logout, sessionStore } from '../session.js';

/** `failed`: the host gave no usable token, or Atende refused it; the panel says so and offers to try again. */
export type SignInState = 'idle' | 'signing-in' | 'failed';
export const signInState = createStore<SignInState>('idle');

/** A host whose function never settles: the panel says sign-in failed rather than waiting forever. */
const tokenWaitMs = 30_000;

let askHost: ((id: number) => void) | undefined;
let lastId = 0;
const waiting = new Map<number, (token: string) => void>();

/** How the frame posts a token request to its host page (set once the host has said hello). */
export function askHostWith(ask: (id: number) => void): void {
  askHost = ask;
}

/** The host's answer to request `id`: its token, or '' when its function failed. */
export function tokenArrived(id: unknown, token: unknown): void {
  if (typeof id === 'number') waiting.get(id)?.(typeof token === 'string' ? token : '');
}

function tokenFromHost(): Promise<string> {
  return new Promise((resolve) => {
    lastId += 1;
    const id = lastId;
    const settle = (token: string) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(token);
    };
    const timer = setTimeout(() => settle(''), tokenWaitMs);
    waiting.set(id, settle);
    askHost?.(id);
  });
}

async function exchange(token: string): Promise<boolean> {
  if (!token) return false;
  try {
    adopt(await send<SessionAnswer>('POST', '/auth/platform', { body: { platformToken: token } }));
    return true;
  } catch {
    return false;
  }
}

let running: Promise<void> | undefined;

/** Signs in through the host (once at a time); the outcome is in signInState. */
export function signIn(): Promise<void> {
  running ??= (async () => {
    signInState.set('signing-in');
    const ok = await exchange(await tokenFromHost());
    signInState.set(ok ? 'idle' : 'failed');
  })().finally(() => {
    running = undefined;
  });
  return running;
}

const sameEmail = (a: unknown, b: string) => typeof a === 'string' && a.trim().toLowerCase() === b.toLowerCase();

/** Keeps the kept session only if the host's signed-in person is still its owner. */
export async function checkKeptSession(): Promise<void> {
  const kept = sessionStore.get();
  if (!kept) return;
  const token = await tokenFromHost();
  if (token && sameEmail(unverifiedClaims(token)?.email, kept.user.email)) return;
  await logout();
  if (token && !(await exchange(token))) signInState.set('failed');
}
