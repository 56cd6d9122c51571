// The shapes of the public API (docs/api.md) as the web app reads them: the server's own types,
// imported type-only, so they cannot drift apart and esbuild erases them (no server code, no zod in the
// bundle). Only what the server does not name as a type is declared here.

import type { lookupInvite } from '../../../shared/auth/invitations.js';
import type { Session } from '../../../shared/auth/sessions.js';
import type { topics } from '../../../shared/domain/topics.js';
import type { ErrorCode, ErrorDetail } from '../../../shared/errors.js';

export type { Attachment } from '../../../shared/domain/attachments.js';
export type { CannedReply } from '../../../shared/domain/canned-replies.js';
export type { TicketEvent } from '../../../shared/domain/events.js';
export type { Group } from '../../../shared/domain/groups.js';
export type { InviteView as Invite } from '../../../shared/domain/invites.js';
export type { Role, StaffRole } from '../../../shared/domain/roles.js';
export type { Suppression } from '../../../shared/domain/suppressions.js';
export type { DocumentRef, Priority, Status, Ticket } from '../../../shared/domain/tickets.js';
export type { GroupRef, Locale, UserView as User } from '../../../shared/domain/users.js';
export type { PushFrame } from '../../../shared/realtime/frames.js';
export type { ErrorCode, ErrorDetail };

/** The answer of login, refresh, platform sign-in and invitation acceptance. */
export type SessionAnswer = Session;

/** `GET /invites/lookup`. */
export type InviteLookup = Awaited<ReturnType<typeof lookupInvite>>;

/** An item of `GET /topics`. */
export type Topic = (typeof topics)[number];

/** A page of a list route. */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Every non-2xx answer (docs/api.md, "Errors"). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
  requestId?: string;
}
