// Signing in and staying signed in: login, refresh (rotation with reuse detection), logout and the host
// platform's sign-in. Every way in ends in openSession, which gives the contract's login answer.
import { ulid } from 'ulid';
import { failureWindowMs, lockoutMs, maxFailures } from '../domain/lockout.js';
import type { Role } from '../domain/roles.js';
import {
  defaultLocale,
  type GroupRef,
  principalOf,
  statusOf,
  type User,
  type UserView,
  userView,
} from '../domain/users.js';
import { Conflict, InvalidCredentials, RateLimited, Unauthenticated } from '../errors.js';
import { recordRefusal } from '../limits/limiter.js';
import { logger } from '../observability/logger.js';
import { claimAttempt, clearAttempts, lockOut } from '../store/login-attempts.js';
import { spendPlatformToken } from '../store/platform-tokens.js';
import { getRefreshToken, revokeSession, rotateRefreshToken, sessionEnd, startSession } from '../store/sessions.js';
import {
  bindPlatformSubject,
  createUser,
  findUserByEmail,
  getUser,
  listGroupsOfUser,
  setPasswordHash,
} from '../store/users.js';
import { accessTokenSeconds, issueAccessToken } from './access-tokens.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-tokens.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { verifyPlatformToken } from './platform-tokens.js';

/** The answer of every sign-in route. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
}

async function tokensFor(user: User, groups: GroupRef[]): Promise<Omit<Session, 'refreshToken'>> {
  return {
    accessToken: await issueAccessToken(principalOf(user, groups)),
    expiresIn: accessTokenSeconds,
    user: userView(user, groups),
  };
}

/**
 * Starts a new session for `user` (groups read fresh unless the caller just wrote them). A person disabled
 * meanwhile gets none: `refused` is the error their sign-in route answers with.
 */
export async function openSession(
  user: User,
  now = new Date(),
  groups?: GroupRef[],
  refused: () => Error = () => new Unauthenticated().because('account_disabled'),
): Promise<Session> {
  const refresh = newOpaqueToken();
  // The session id's time is the session's start (see store/sessions.ts).
  if (!(await startSession(user.id, ulid(now.getTime()), refresh.hash, now))) throw refused();
  const signedIn = { ...user, lastSignInAt: now.toISOString() };
  return { ...(await tokensFor(signedIn, groups ?? (await listGroupsOfUser(user.id)))), refreshToken: refresh.token };
}

/** A disabled person's sign-in answers exactly as a wrong password does; only the request log says why. */
const disabledSignIn = () => new InvalidCredentials().because('account_disabled');

/** Signs in with a password; failures count per e-mail and source IP (see store/login-attempts.ts). */
export async function login(email: string, password: string, sourceIp: string, now = new Date()): Promise<Session> {
  const user = await checkPassword(email, password, sourceIp, () => findUserByEmail(email), now);
  if (user.passwordHash && needsRehash(user.passwordHash)) await setPasswordHash(user.id, await hashPassword(password));
  return openSession(user, now, undefined, disabledSignIn);
}

/**
 * A sign-in's password check, wherever an account's password is asked for (login, accepting an invitation
 * as an existing account): counted against the e-mail's failures from `sourceIp`, locked out there after too
 * many, and answered the same for an unknown e-mail, a wrong password and a disabled account.
 */
export async function checkPassword(
  email: string,
  password: string,
  sourceIp: string,
  account: () => Promise<User | undefined>,
  now: Date,
): Promise<User> {
  // The attempt is counted before any hashing, so parallel guesses cannot slip past the limit together, and
  // an attempt a lockout refuses is never checked.
  const claim = await claimAttempt(email, sourceIp, now.getTime(), { max: maxFailures, windowMs: failureWindowMs });
  if ('retryAfterMs' in claim) {
    recordRefusal('sign-in', { email, sourceIp });
    throw new RateLimited(Math.ceil(claim.retryAfterMs / 1000));
  }
  const user = await account();
  // Unknown e-mail or not, the same hashing work is done and the same answer given.
  const valid = await verifyPassword(password, user?.passwordHash);
  const disabled = user !== undefined && valid && statusOf(user) === 'disabled';
  if (!user || !valid || disabled) {
    // The window's last attempt failed too: the lockout starts now (unless the right password cleared the
    // window meanwhile), and this answer already says so, so the locking attempt's request line shows it.
    const lockedUntil = now.getTime() + lockoutMs;
    if (claim.slot >= maxFailures && (await lockOut(email, sourceIp, claim.windowStart, lockedUntil))) {
      logger.warn('login locked out', { email, sourceIp, lockedUntil: new Date(lockedUntil).toISOString() });
      throw new RateLimited(lockoutMs / 1000);
    }
    throw disabled ? disabledSignIn() : new InvalidCredentials();
  }
  await clearAttempts(email, sourceIp);
  return user;
}

export async function refresh(refreshToken: string, now = new Date()): Promise<Session> {
  const hash = hashOpaqueToken(refreshToken);
  const token = await getRefreshToken(hash);
  if (!token || Date.parse(token.expiresAt) <= now.getTime())
    throw new Unauthenticated('refresh token is invalid or expired');
  if (sessionEnd(token.sessionId) <= now.getTime())
    throw new Unauthenticated('the session has ended; sign in again').because('session_lifetime');
  const user = await getUser(token.userId);
  if (!user) throw new Unauthenticated('refresh token is invalid or expired');
  if (statusOf(user) === 'disabled')
    throw new Unauthenticated('refresh token is invalid or expired').because('account_disabled');
  const next = newOpaqueToken();
  const outcome = token.usedAt ? 'reused' : await rotateRefreshToken(hash, token, next.hash, now);
  if (outcome === 'reused') {
    await revokeSession(token.userId, token.sessionId, now);
    logger.warn('refresh token reused', { userId: token.userId, sessionId: token.sessionId });
  }
  if (outcome !== 'rotated') throw new Unauthenticated('refresh token is invalid or expired');
  return { ...(await tokensFor(user, await listGroupsOfUser(user.id))), refreshToken: next.token };
}

/** Ends the session the token belongs to; unknown tokens are fine (signing out twice is no error). */
export async function logout(refreshToken: string, now = new Date()): Promise<void> {
  const token = await getRefreshToken(hashOpaqueToken(refreshToken));
  if (token) await revokeSession(token.userId, token.sessionId, now);
}

/**
 * Who the host platform may sign in: its own users and portal customers. Staff accounts (agent, admin,
 * auditor) are reached only with their password: a platform account carrying a staff member's address, or
 * a leaked platform secret, must not open the staff side.
 */
const platformRoles: readonly Role[] = ['customer', 'platform_user'];

/**
 * Exchanges a host platform token for a session: the person's portal account when the e-mail has one,
 * otherwise a `platform_user` created on first sight. A token works once; the first one for an account
 * binds its `sub`, and a token with that e-mail and another `sub` is refused (and logged).
 */
export async function platformSignIn(platformToken: string, now = new Date()): Promise<Session> {
  const identity = await verifyPlatformToken(platformToken, now);
  if (!(await spendPlatformToken(hashOpaqueToken(platformToken), identity.expiresAt))) {
    logger.warn('platform token replayed', { platformSubject: identity.subject });
    throw new Unauthenticated('this platform token was already used').because('platform_token_replayed');
  }
  let user = await findUserByEmail(identity.email);
  if (user && !platformRoles.includes(user.role)) {
    logger.warn('platform sign-in refused for a staff account', {
      userId: user.id,
      role: user.role,
      platformSubject: identity.subject,
    });
    throw new Unauthenticated('this account signs in with its password');
  }
  if (!user) {
    const created: User = {
      id: ulid(),
      email: identity.email,
      name: identity.name,
      role: 'platform_user',
      locale: defaultLocale,
      platformSubject: identity.subject,
      createdAt: now.toISOString(),
    };
    try {
      await createUser(created);
      user = created;
    } catch (error) {
      // Signed in twice at once: the other request created the account.
      if (!(error instanceof Conflict)) throw error;
      user = await findUserByEmail(identity.email);
      if (!user) throw error;
    }
  }
  if (statusOf(user) === 'disabled') throw new Unauthenticated('this account is disabled').because('account_disabled');
  if (user.platformSubject !== identity.subject) {
    // The account's first platform sign-in binds the subject; a bound one must match.
    if (user.platformSubject !== undefined || !(await bindPlatformSubject(user.id, identity.subject))) {
      logger.warn('platform sign-in refused: another subject for this e-mail', {
        userId: user.id,
        platformSubject: identity.subject,
      });
      throw new Unauthenticated('this platform account is not the one bound to this e-mail').because(
        'platform_subject_mismatch',
      );
    }
    user = { ...user, platformSubject: identity.subject };
  }
  return openSession(user, now);
}
