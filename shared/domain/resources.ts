// What the API answers with, as schemas: the contract's `ticket`, `event`, `user`, `group`, `invite` and
// `attachment` (docs/api.md), the answers built from them, and the error body. The API reference is generated
// from these (infra/reference/openapi.ts, infra/reference/realtime.ts) and the integration tests check
// every answer they receive against it (test/support/contract.ts). Each schema must describe its
// TypeScript type exactly: test/unit/shared/domain/resources.test.ts fails the typecheck when they part.
//
// Only the reference generator and the tests read this module, so no function bundle carries these schemas.
import * as z from '../zod.js';
import { attachmentTypes } from './attachments.js';
import type { eventTypes } from './events.js';
import { roles } from './roles.js';
import { channels, priorities, statuses } from './tickets.js';
import { topicIds } from './topics.js';

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
  assigned: z.strictObject({ from: z.nullable(Id), to: z.nullable(Id) }),
  priority_changed: z.strictObject({ from: z.string(), to: z.string() }),
  topic_changed: z.strictObject({ from: z.string(), to: z.string() }),
  attachment_added: z.strictObject({ attachments: Attachments }),
  access_granted: z.strictObject({ groupId: Id, email: z.string(), inviteId: Id }),
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
  eventOf('satisfaction'),
]);

export const GroupRefResource = z.strictObject({ id: Id, name: z.string() });

export const UserResource = z.strictObject({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  groups: z.array(GroupRefResource),
  createdAt: Timestamp,
});

export const GroupResource = z.strictObject({
  id: Id,
  name: z.string(),
  taxId: z.optional(z.string()),
  createdAt: Timestamp,
  createdBy: Id,
});

export const InviteResource = z.strictObject({
  id: Id,
  groupId: Id,
  email: z.string(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  createdBy: Id,
  delivery: z.strictObject({
    status: z.enum(['queued', 'sent', 'failed']),
    attempts: z.int(),
    lastError: z.optional(z.string()),
  }),
});

export const TopicResource = z.strictObject({
  id: z.enum(topicIds),
  label: z.strictObject({ 'pt-BR': z.string(), en: z.string() }),
});

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
export const GroupAnswer = z.strictObject({ group: GroupResource });
export const InviteAnswer = z.strictObject({ invite: InviteResource });
export const InviteLookupAnswer = z.strictObject({ email: z.string(), groupName: z.string(), expiresAt: Timestamp });
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
