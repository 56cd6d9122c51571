import * as z from '../zod.js';
import { type StaffRole, staff } from './roles.js';
import { Email, type Locale, locales, OpaqueToken, PersonName } from './users.js';

export const inviteLifetimeSeconds = 7 * 24 * 60 * 60;

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
/** `bounced` and `complained`: SES reported it (or an earlier e-mail) so, and the address is suppressed. */
export const deliveryStatuses = ['queued', 'sent', 'failed', 'bounced', 'complained'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface Delivery {
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
}

/** What accepting an invitation makes of the person: a customer member of its group, or staff. */
export type InviteRole = 'customer' | StaffRole;

export interface Invite {
  id: string;
  /** null for a staff invitation. */
  groupId: string | null;
  /** Absent on invitations made before staff could be invited: `customer`. */
  role?: InviteRole;
  email: string;
  name?: string;
  locale: Locale;
  /** Stored status; `expired` is derived on read from `expiresAt`. */
  status: Exclude<InviteStatus, 'expired'>;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  delivery: Delivery;
  acceptedAt?: string;
  acceptedBy?: string;
}

/** The contract's `invite`. */
export interface InviteView {
  id: string;
  groupId: string | null;
  role: InviteRole;
  email: string;
  status: InviteStatus;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  delivery: Delivery;
}

export const isExpired = (invite: Pick<Invite, 'expiresAt'>, now: Date): boolean =>
  Date.parse(invite.expiresAt) <= now.getTime();

export function statusOf(invite: Invite, now: Date): InviteStatus {
  return invite.status === 'pending' && isExpired(invite, now) ? 'expired' : invite.status;
}

export function inviteView(invite: Invite, now = new Date()): InviteView {
  return {
    id: invite.id,
    groupId: invite.groupId,
    role: invite.role ?? 'customer',
    email: invite.email,
    status: statusOf(invite, now),
    expiresAt: invite.expiresAt,
    createdAt: invite.createdAt,
    createdBy: invite.createdBy,
    delivery: {
      status: invite.delivery.status,
      attempts: invite.delivery.attempts,
      ...(invite.delivery.lastError ? { lastError: invite.delivery.lastError } : {}),
    },
  };
}

export const CreateInviteBody = z.strictObject({
  email: Email,
  name: z.optional(PersonName),
  /** Language of the e-mail (and of the account it creates); pt-BR when absent. */
  locale: z.optional(z.enum(locales)),
});
export const CreateStaffInviteBody = z.strictObject({
  email: Email,
  name: z.optional(PersonName),
  role: z.enum(staff),
  locale: z.optional(z.enum(locales)),
});
/**
 * `name` and a new password (at least `minPasswordLength`) for a new account; an existing account's own
 * password otherwise (checked in shared/auth/invitations.ts, which knows which case it is).
 */
export const AcceptInviteBody = z.strictObject({
  token: OpaqueToken,
  name: z.optional(PersonName),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export const LookupInviteQuery = z.strictObject({ token: OpaqueToken });
export const InviteParams = z.strictObject({ inviteId: z.string().check(z.minLength(1), z.maxLength(64)) });
