import * as z from '../zod.js';
import type { Presence, PresenceChoice } from './assignment.js';
import { DisplayName } from './names.js';
import { type Principal, type Role, staff } from './roles.js';

/** Languages of e-mails and of the web app; pt-BR first. */
export const locales = ['pt-BR', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'pt-BR';

export const minPasswordLength = 10;
// scrypt digests any length, but an unbounded password is an unbounded body to hash.
const maxPasswordLength = 1024;

/** E-mail addresses are compared case-insensitively: stored trimmed and lower-cased. */
export const Email = z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email());
export const PersonName = DisplayName(120);
/** A password someone chooses now (accept, reset). */
export const NewPassword = z.string().check(z.minLength(minPasswordLength), z.maxLength(maxPasswordLength));
/** An opaque token from a link or a sign-in answer; whether it is real is the store's business. */
export const OpaqueToken = z.string().check(z.minLength(1), z.maxLength(512));

export const LoginBody = z.strictObject({
  email: Email,
  password: z.string().check(z.minLength(1), z.maxLength(maxPasswordLength)),
});
export const RefreshBody = z.strictObject({ refreshToken: OpaqueToken });
export const PlatformSignInBody = z.strictObject({
  platformToken: z.string().check(z.minLength(1), z.maxLength(8192)),
});
export const PasswordResetBody = z.strictObject({ email: Email });
export const PasswordResetConfirmBody = z.strictObject({ token: OpaqueToken, password: NewPassword });

/** Who may sign in: a disabled person keeps their account and history but has no session. */
export const userStatuses = ['active', 'disabled'] as const;
export type UserStatus = (typeof userStatuses)[number];

export interface NotificationSettings {
  email: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Absent on accounts made before people could be disabled: active. */
  status?: UserStatus;
  /**
   * Counts revocations (disable, role change, sign-out everywhere, password reset). Access tokens and
   * WebSocket connections carry the count they were issued under; one issued under an older count is
   * refused on its next request (shared/auth/current-principal.ts). Absent: 0.
   */
  accessRevision?: number;
  notifications?: NotificationSettings;
  /** What an agent said of themselves (PUT /me/presence); absent: never said. */
  presence?: PresenceChoice;
  lastSignInAt?: string;
  /** `scrypt$N$r$p$salt$hash`; absent for host-platform users who never chose one. */
  passwordHash?: string;
  locale: Locale;
  /** The host platform's `sub`, for people who arrived through `POST /auth/platform`. */
  platformSubject?: string;
  createdAt: string;
}

export interface GroupRef {
  id: string;
  name: string;
}

/** Whether `user` is e-mailed about tickets: active, and has not turned e-mail notifications off. */
export const receivesEmail = (user: Pick<User, 'status' | 'notifications'>): boolean =>
  user.status !== 'disabled' && (user.notifications?.email ?? true);

/** The contract's `user`. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  groups: GroupRef[];
  createdAt: string;
  lastSignInAt?: string;
  notifications: NotificationSettings;
  /** Staff only (domain/assignment.ts presenceOf). */
  presence?: Presence;
}

export const statusOf = (user: Pick<User, 'status'>): UserStatus => user.status ?? 'active';
export const revisionOf = (user: Pick<User, 'accessRevision'>): number => user.accessRevision ?? 0;

/** The contract's `user`; `presence` for staff, whose presence the caller looked up. */
export function userView(user: User, groups: readonly GroupRef[], presence?: Presence): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: statusOf(user),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    createdAt: user.createdAt,
    ...(user.lastSignInAt ? { lastSignInAt: user.lastSignInAt } : {}),
    notifications: { email: user.notifications?.email ?? true },
    ...(presence === undefined ? {} : { presence }),
  };
}

export function principalOf(
  user: Pick<User, 'id' | 'role' | 'name' | 'email' | 'accessRevision'>,
  groups: readonly GroupRef[],
): Principal {
  return {
    userId: user.id,
    role: user.role,
    groupIds: groups.map((g) => g.id),
    name: user.name,
    email: user.email,
    accessRevision: revisionOf(user),
  };
}

/**
 * Accepting an invitation makes someone a customer member; people who only signed in through the host
 * platform become customers, staff keep their role.
 */
export function roleAfterJoining(role: Role): Role {
  return role === 'platform_user' ? 'customer' : role;
}

export const PatchUserBody = z.strictObject({
  name: z.optional(PersonName),
  role: z.optional(z.enum(staff)),
  status: z.optional(z.enum(userStatuses)),
});
export type UserPatch = z.output<typeof PatchUserBody>;

export const PatchMeBody = z.strictObject({
  name: z.optional(PersonName),
  notifications: z.optional(z.strictObject({ email: z.boolean() })),
});

export const UserParams = z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) });
