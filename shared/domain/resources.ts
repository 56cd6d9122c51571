// What the API answers with, as schemas: the contract's `ticket`, `event`, `user`, `group`, `invite` and
// `attachment` (docs/api.md), the answers built from them, and the error body. The API reference is generated
// from these (infra/reference/openapi.ts, infra/reference/realtime.ts) and the integration tests check
// every answer they receive against it (test/support/contract.ts). Each schema must describe its
// TypeScript type exactly: test/unit/shared/domain/resources.test.ts fails the typecheck when they part.
//
// Only the reference generator and the tests read this module, so no function bundle carries these schemas.
import * as z from '../zod.js';
import { assignmentModes, presenceChoices } from './assignment.js';
import { attachmentTypes } from './attachments.js';
import { type eventTypes, slaTargets } from './events.js';
import { deliveryStatuses } from './invites.js';
import { roles, staff } from './roles.js';
import { suppressionReasons } from './suppressions.js';
import { channels, priorities, statuses } from './tickets.js';
import { topicIds } from './topics.js';
import { locales, userStatuses } from './users.js';

/** ISO-8601 in UTC, as `Date.prototype.toISOString` writes it. */
export const Timestamp = z.iso.datetime();
/** Ids are ULIDs, except those the host platform or another module may mint: never assumed here. */
const Id = z.string();

export const AttachmentResource = z.strictObject({
  id: Id,
  fileName: z.string(),
  contentType: z.enum(Object.keys(attachmentTypes) as [keyof typeof attachmentTypes]),
  size: z.int(),
  uploadedBy: Id,
  createdAt: Timestamp,
});

const DocumentRefResource = z.strictObject({
  type: z.string(),
  id: z.string(),
  title: z.optional(z.string()),
  url: z.optional(z.string()),
});

/** The contract's `ticket.sla` (shared/domain/sla/ticket-sla.ts, slaView). */
const TicketSlaResource = z.strictObject({
  firstResponseDueAt: z.optional(Timestamp),
  firstRespondedAt: z.optional(Timestamp),
  resolutionDueAt: z.optional(Timestamp),
  pausedSince: z.optional(Timestamp),
  breaches: z.array(z.enum(slaTargets)),
});

export const TicketResource = z.strictObject({
  id: Id,
  number: z.int(),
  groupId: z.optional(Id),
  requesterId: Id,
  requesterName: z.string(),
  subject: z.string(),
  description: z.string(),
  topic: z.enum(topicIds),
  priority: z.enum(priorities),
  status: z.enum(statuses),
  channel: z.enum(channels),
  documentRef: z.optional(DocumentRefResource),
  assigneeId: z.optional(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.int(),
  lastMessageAt: z.optional(Timestamp),
  attachments: z.array(AttachmentResource),
  followerIds: z.array(Id),
  sla: z.optional(TicketSlaResource),
});

export const ActorResource = z.strictObject({ id: Id, name: z.string(), role: z.enum(roles) });

const Attachments = z.array(AttachmentResource);

/** What each event type records in `data` (shared/domain/events.ts, EventData). */
const eventData = {
  created: z.strictObject({
    subject: z.string(),
    description: z.string(),
    topic: z.string(),
    priority: z.string(),
    status: z.string(),
    channel: z.string(),
    groupId: z.optional(Id),
    // Typed `unknown` on the timeline: the ticket's documentRef as it was given.
    documentRef: z.optional(z.unknown()),
    attachments: Attachments,
  }),
  message: z.strictObject({ body: z.string(), attachments: Attachments, clientMessageId: z.optional(z.string()) }),
  status_changed: z.strictObject({ from: z.string(), to: z.string(), reopen: z.optional(z.literal(true)) }),
  assigned: z.strictObject({ from: z.nullable(Id), to: z.nullable(Id), auto: z.optional(z.literal(true)) }),
  priority_changed: z.strictObject({ from: z.string(), to: z.string() }),
  topic_changed: z.strictObject({ from: z.string(), to: z.string() }),
  attachment_added: z.strictObject({ attachments: Attachments }),
  access_granted: z.strictObject({ groupId: Id, email: z.string(), inviteId: Id }),
  follower_added: z.strictObject({ userId: Id }),
  follower_removed: z.strictObject({ userId: Id }),
  note: z.strictObject({ body: z.string(), attachments: Attachments }),
  sla_breached: z.strictObject({ target: z.enum(slaTargets) }),
  satisfaction: z.strictObject({ score: z.int(), comment: z.optional(z.string()) }),
} satisfies Record<(typeof eventTypes)[number], z.ZodMiniType>;

const eventOf = <T extends keyof typeof eventData>(type: T) =>
  z.strictObject({
    id: Id,
    ticketId: Id,
    type: z.literal(type),
    actor: ActorResource,
    createdAt: Timestamp,
    data: eventData[type],
  });

export const EventResource = z.discriminatedUnion('type', [
  eventOf('created'),
  eventOf('message'),
  eventOf('status_changed'),
  eventOf('assigned'),
  eventOf('priority_changed'),
  eventOf('topic_changed'),
  eventOf('attachment_added'),
  eventOf('access_granted'),
  eventOf('follower_added'),
  eventOf('follower_removed'),
  eventOf('note'),
  eventOf('sla_breached'),
  eventOf('satisfaction'),
]);

export const GroupRefResource = z.strictObject({ id: Id, name: z.string() });

export const UserResource = z.strictObject({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  status: z.enum(userStatuses),
  groups: z.array(GroupRefResource),
  createdAt: Timestamp,
  lastSignInAt: z.optional(Timestamp),
  notifications: z.strictObject({ email: z.boolean() }),
  /** Staff only: what they chose while connected, `offline` without a connection (domain/assignment.ts). */
  presence: z.optional(z.enum([...presenceChoices, 'offline'])),
});

export const GroupResource = z.strictObject({
  id: Id,
  name: z.string(),
  taxId: z.optional(z.string()),
  createdAt: Timestamp,
  createdBy: Id,
});

const InviteRoleResource = z.enum(['customer', ...staff]);

export const InviteResource = z.strictObject({
  id: Id,
  /** null for a staff invitation. */
  groupId: z.nullable(Id),
  role: InviteRoleResource,
  email: z.string(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  createdBy: Id,
  delivery: z.strictObject({
    status: z.enum(deliveryStatuses),
    attempts: z.int(),
    lastError: z.optional(z.string()),
  }),
});

export const SuppressionResource = z.strictObject({
  email: z.string(),
  reason: z.enum(suppressionReasons),
  at: Timestamp,
});

export const TopicResource = z.strictObject({
  id: z.enum(topicIds),
  label: z.strictObject({ 'pt-BR': z.string(), en: z.string() }),
});

/** The contract's `reply` (shared/domain/canned-replies.ts, CannedReply). */
export const CannedReplyResource = z.strictObject({
  id: Id,
  title: z.string(),
  body: z.string(),
  topic: z.optional(z.enum(topicIds)),
  locale: z.enum(locales),
  updatedAt: Timestamp,
});

const SlaTargetMinutesResource = z.strictObject({ firstResponseMinutes: z.int(), resolutionMinutes: z.int() });

/** The SLA policy (shared/domain/sla/policy.ts, SlaPolicy). */
export const SlaPolicyResource = z.strictObject({
  calendar: z.strictObject({
    timeZone: z.string(),
    days: z.readonly(z.array(z.int())),
    start: z.string(),
    end: z.string(),
    holidays: z.readonly(z.array(z.string())),
  }),
  targets: z.strictObject({
    urgent: SlaTargetMinutesResource,
    high: SlaTargetMinutesResource,
    normal: SlaTargetMinutesResource,
    low: SlaTargetMinutesResource,
  }),
});

/** The assignment policy (shared/domain/assignment.ts, AssignmentPolicy). */
export const AssignmentPolicyResource = z.strictObject({
  mode: z.enum(assignmentModes),
  maxOpenPerAgent: z.int(),
});

/** The contract's `erasure` (shared/domain/privacy.ts, Erasure). */
export const ErasureResource = z.strictObject({
  id: Id,
  userId: Id,
  status: z.enum(['pending', 'done']),
  counts: z.strictObject({
    events: z.int(),
    tickets: z.int(),
    files: z.int(),
    mail: z.int(),
    invites: z.int(),
    memberships: z.int(),
    sessions: z.int(),
  }),
});

/** The retention policy (shared/domain/privacy.ts, RetentionPolicy). */
export const RetentionPolicyResource = z.strictObject({ closedTicketAnonymizeAfterDays: z.optional(z.int()) });

// ---- Answers -----------------------------------------------------------------------------------------

/** Every sign-in route's answer (shared/auth/sessions.ts, Session). */
export const SessionAnswer = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.int(),
  user: UserResource,
});

/** A page of a list that can be long; `nextCursor` is null on the last page. */
export const Page = <T extends z.ZodMiniType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.nullable(z.string()) });
/** A list that is never long enough to page. */
export const List = <T extends z.ZodMiniType>(item: T) => z.strictObject({ items: z.array(item) });

export const HealthAnswer = z.strictObject({ status: z.literal('ok'), version: z.string() });
export const TicketAnswer = z.strictObject({ ticket: TicketResource });
export const EventAnswer = z.strictObject({ event: EventResource });
export const UserAnswer = z.strictObject({ user: UserResource });
export const ErasureAnswer = z.strictObject({
  erasure: z.strictObject({ id: Id, status: z.enum(['pending', 'done']) }),
});
/**
 * A person's data export (shared/privacy/export.ts): the document inline, or, when it is large, a link to it
 * valid 5 minutes. The document's sections: generatedAt, profile, memberships, notificationSettings,
 * sessions, failedSignIns, messages, ratings, files, invitations, tickets (each with its events).
 */
export const DataExportAnswer = z.union([
  z.strictObject({ export: z.record(z.string(), z.unknown()) }),
  z.strictObject({ downloadUrl: z.string() }),
]);
export const CannedReplyAnswer = z.strictObject({ reply: CannedReplyResource });
export const GroupAnswer = z.strictObject({ group: GroupResource });
export const InviteAnswer = z.strictObject({ invite: InviteResource });
export const InviteLookupAnswer = z.strictObject({
  email: z.string(),
  /** null for a staff invitation. */
  groupName: z.nullable(z.string()),
  role: InviteRoleResource,
  /** Accepting needs that account's password (`{token, password}`), not a name and a new password. */
  existingAccount: z.boolean(),
  expiresAt: Timestamp,
});
export const ConnectionTicketAnswer = z.strictObject({ ticket: z.string(), expiresIn: z.int() });
export const UploadAnswer = z.strictObject({
  attachment: AttachmentResource,
  /** A presigned POST: send `fields`, then the file, as a multipart form to `url`. */
  upload: z.strictObject({ url: z.string(), fields: z.record(z.string(), z.string()) }),
});
const Percentiles = z.strictObject({ p50Minutes: z.nullable(z.number()), p90Minutes: z.nullable(z.number()) });

/** GET /reports/summary (shared/domain/reports.ts, Summary). */
export const SummaryAnswer = z.strictObject({
  from: z.string(),
  to: z.string(),
  by: z.enum(['day', 'topic', 'group', 'agent']),
  rows: z.array(
    z.strictObject({
      key: z.nullable(z.string()),
      created: z.int(),
      resolved: z.int(),
      firstResponse: Percentiles,
      resolution: Percentiles,
      slaMet: z.strictObject({ firstResponse: z.nullable(z.number()), resolution: z.nullable(z.number()) }),
      satisfaction: z.strictObject({ average: z.nullable(z.number()), responses: z.int() }),
    }),
  ),
});
/** GET /reports/comments (shared/store/reports.ts, RatingComment). */
export const CommentResource = z.strictObject({
  ticketId: Id,
  ticketNumber: z.int(),
  score: z.int(),
  comment: z.string(),
  createdAt: Timestamp,
});
export const DownloadAnswer = z.strictObject({ attachment: AttachmentResource, downloadUrl: z.string() });

/** The codes of shared/errors.ts (ErrorCode); `internal` is the 500 that is always a bug. */
export const errorCodes = [
  'validation_failed',
  'malformed_json',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export const ErrorResource = z.strictObject({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.optional(z.array(z.strictObject({ path: z.string(), issue: z.string() }))),
});

/** docs/api.md "Errors": every non-2xx answer over HTTP. */
export const ErrorAnswer = z.strictObject({ error: ErrorResource, requestId: z.string() });
