// Tickets: their shape, what each role may see and change, and the status machine. Pure: no I/O.
import * as z from '../zod.js';
import { type Attachment, maxAttachmentsPerRequest } from './attachments.js';
import type { EventDraft } from './events.js';
import { isAgent, isAgentRole, isStaff, type Principal, type Role } from './roles.js';
import { slaView, type TicketSla } from './sla/ticket-sla.js';
import { Topic, type TopicId } from './topics.js';

export const statuses = ['new', 'open', 'pending_customer', 'resolved', 'closed'] as const;
export type Status = (typeof statuses)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const channels = ['portal', 'chat'] as const;
export type Channel = (typeof channels)[number];

export const maxSubjectLength = 200;
/** Descriptions and message bodies (docs/api.md: 1–10 000 characters). */
export const maxTextLength = 10_000;

export interface DocumentRef {
  type: string;
  id: string;
  title?: string;
  url?: string;
}

/** The contract's `ticket`. */
export interface Ticket {
  id: string;
  number: number;
  groupId?: string;
  requesterId: string;
  requesterName: string;
  subject: string;
  description: string;
  topic: TopicId;
  priority: Priority;
  status: Status;
  channel: Channel;
  documentRef?: DocumentRef;
  assigneeId?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  lastMessageAt?: string;
  attachments: Attachment[];
  /** People told about the ticket's answers as its requester is (shared/domain/notifications.ts). */
  followerIds: string[];
  /** The SLA clock (absent on tickets opened before there was one). */
  sla?: TicketSla;
}

/** A ticket's followers are few (a company's colleagues, a supervisor): a bound that keeps its writes small. */
export const maxFollowers = 20;

/** What is stored: the ticket and what only the server needs. */
export interface TicketRecord extends Ticket {
  /** For inviting the requester when they asked for portal access. */
  requesterEmail: string;
  /** The words the ticket is found by (shared/domain/search.ts). */
  words: string[];
  /** The newest event on its timeline: the next one's id must be greater. */
  lastEventId: string;
  /**
   * The agent whose count of open tickets (store/assignment.ts) includes this one, as last written
   * (domain/assignment.ts holderOf); absent on tickets no change has counted yet.
   */
  heldBy?: string;
}

export function ticketView(record: TicketRecord): Ticket {
  return {
    id: record.id,
    number: record.number,
    ...(record.groupId ? { groupId: record.groupId } : {}),
    requesterId: record.requesterId,
    requesterName: record.requesterName,
    subject: record.subject,
    description: record.description,
    topic: record.topic,
    priority: record.priority,
    status: record.status,
    channel: record.channel,
    ...(record.documentRef ? { documentRef: record.documentRef } : {}),
    ...(record.assigneeId ? { assigneeId: record.assigneeId } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    version: record.version,
    ...(record.lastMessageAt ? { lastMessageAt: record.lastMessageAt } : {}),
    attachments: record.attachments,
    // Tickets stored before followers existed have none.
    followerIds: record.followerIds ?? [],
    ...(record.sla ? { sla: slaView(record.sla) } : {}),
  };
}

// ---- Input -------------------------------------------------------------------------------------------

const ulidPattern = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
export const isUlid = (value: string): boolean => ulidPattern.test(value);
export const Ulid = z.string().check(z.regex(ulidPattern, { error: 'not a valid id' }));
/** Ids minted by the identity module (groups, users): looked up, never trusted. */
const ForeignId = z.string().check(z.minLength(1), z.maxLength(64));

/** Trimmed text of 1…max characters (code points, so an emoji counts as one). */
const Text = (max: number) =>
  z.string().check(
    z.trim(),
    z.refine((s) => s.length > 0, { error: 'must not be empty' }),
    z.refine((s) => Array.from(s).length <= max, { error: `at most ${max} characters` }),
  );

/** Trimmed text of 1…max UTF-16 units, for short labels and references. */
const Label = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

const DocumentRefSchema = z.strictObject({
  type: Label(40),
  id: Label(200),
  title: z.optional(Label(200)),
  url: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2000))),
});

const AttachmentIds = z.array(Ulid).check(
  z.maxLength(maxAttachmentsPerRequest),
  z.refine((ids) => new Set(ids).size === ids.length, { error: 'lists an attachment twice' }),
);

export const CreateTicketBody = z.strictObject({
  groupId: ForeignId,
  topic: Topic,
  subject: Text(maxSubjectLength),
  description: Text(maxTextLength),
  priority: z.optional(z.enum(priorities)),
  documentRef: z.optional(DocumentRefSchema),
  attachmentIds: z.optional(AttachmentIds),
});
/** A chat (channel `chat`) may start without a group: host-platform users have none. */
export type CreateTicketInput = Omit<z.output<typeof CreateTicketBody>, 'groupId'> & { groupId?: string };

export const PatchTicketBody = z
  .strictObject({
    status: z.optional(z.enum(statuses)),
    priority: z.optional(z.enum(priorities)),
    /** `null` unassigns. */
    assigneeId: z.optional(z.nullable(ForeignId)),
    topic: z.optional(Topic),
  })
  .check(z.refine((patch) => Object.values(patch).some((v) => v !== undefined), { error: 'nothing to change' }));
export type TicketPatch = z.output<typeof PatchTicketBody>;

/** A client-chosen id that makes sending a message idempotent. */
export const ClientMessageId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'use 1–64 of A-Z a-z 0-9 . _ : -' }));

export const PostMessageBody = z.strictObject({
  body: Text(maxTextLength),
  attachmentIds: z.optional(AttachmentIds),
  clientMessageId: z.optional(ClientMessageId),
});
export type MessageInput = z.output<typeof PostMessageBody>;

/** An internal note: what a message is, without a client message id (notes are posted over HTTP only). */
export const PostNoteBody = z.strictObject({
  body: Text(maxTextLength),
  attachmentIds: z.optional(AttachmentIds),
});
export type NoteInput = z.output<typeof PostNoteBody>;

export const AttachFilesBody = z.strictObject({ attachmentIds: AttachmentIds.check(z.minLength(1)) });
export const GrantAccessBody = z.strictObject({ groupId: ForeignId });

/** Any string: an id that is not one of ours is simply not found (404), like any other unknown id. */
export const TicketParams = z.strictObject({ id: z.string() });

const Limit = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), fallback);
const Cursor = z.string().check(z.minLength(1), z.maxLength(2048));

export const ListTicketsQuery = z.strictObject({
  groupId: z.optional(ForeignId),
  status: z.optional(z.enum(statuses)),
  topic: z.optional(Topic),
  assigneeId: z.optional(ForeignId),
  /** An empty `q` (a cleared search box) is no search. */
  q: z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(200))),
    z.transform((q: string | undefined) => q || undefined),
  ),
  /** `due`: open tickets by SLA due time, for staff (shared/tickets/sla.ts); newest first without it. */
  sort: z.optional(z.enum(['due'])),
  cursor: z.optional(Cursor),
  limit: Limit(25),
});
export type ListTicketsInput = z.output<typeof ListTicketsQuery>;
export type TicketFilters = Omit<ListTicketsInput, 'cursor' | 'limit'>;

export const ListEventsQuery = z.strictObject({
  after: z.optional(Ulid),
  cursor: z.optional(Cursor),
  limit: Limit(50),
});
export type ListEventsInput = z.output<typeof ListEventsQuery>;

// ---- Rules -------------------------------------------------------------------------------------------

/**
 * Staff see every ticket; customers their groups' tickets; anyone their own tickets outside any group. A
 * group's ticket belongs to the group: whoever opened it loses it on leaving the group (api.md, "People over
 * time").
 */
export function canSeeTicket(principal: Principal, ticket: Pick<Ticket, 'groupId' | 'requesterId'>): boolean {
  if (isStaff(principal)) return true;
  if (ticket.groupId === undefined) return ticket.requesterId === principal.userId;
  return principal.role === 'customer' && principal.groupIds.includes(ticket.groupId);
}

/** Writing on a ticket one can see (messages, files): everyone but auditors. */
export const canWrite = (principal: Principal): boolean => principal.role !== 'auditor';

const finished: ReadonlySet<Status> = new Set(['resolved', 'closed']);
const reopens = (from: Status, to: Status): boolean => finished.has(from) && !finished.has(to);

/**
 * Whether `role` may move a ticket from `from` to `to` (a different status), and whether that reopens it.
 * Agents and admins move freely; customers and host-platform users may only close, or reopen a resolved or
 * closed ticket; auditors change nothing.
 */
export function statusChange(role: Role, from: Status, to: Status): { allowed: boolean; reopen: boolean } {
  const reopen = reopens(from, to);
  if (isAgentRole(role)) return { allowed: true, reopen };
  if (role === 'customer' || role === 'platform_user') {
    return { allowed: to === 'closed' || (reopen && to === 'open'), reopen };
  }
  return { allowed: false, reopen };
}

/** The event that records a status change. */
export const statusChanged = (from: Status, to: Status): EventDraft => ({
  type: 'status_changed',
  data: { from, to, ...(reopens(from, to) ? { reopen: true as const } : {}) },
});

/**
 * Where a ticket goes by itself when someone answers on it (undefined: it stays): an agent's reply starts
 * work on a new ticket, and the customer's reply to a ticket that waits for them hands it back to the
 * agents. (Taking a new ticket also opens it: planPatch.)
 */
export function statusAfterMessage(role: Role, status: Status): Status | undefined {
  if (isAgentRole(role)) return status === 'new' ? 'open' : undefined;
  if (role === 'customer' || role === 'platform_user') return status === 'pending_customer' ? 'open' : undefined;
  return undefined;
}

/** The statuses a message by `role` moves a ticket out of. */
export const statusesMovedByMessage = (role: Role): Status[] =>
  statuses.filter((status) => statusAfterMessage(role, status) !== undefined);

export type PatchPlan =
  | {
      allowed: true;
      changes: Partial<Pick<Ticket, 'status' | 'priority' | 'topic'>> & { assigneeId?: string | null };
      events: EventDraft[];
    }
  | { allowed: false; field: keyof TicketPatch };

/**
 * What a PATCH changes and the events that record it, one per changed field. A field set to its current
 * value changes nothing and needs no permission; a change the role may not make refuses the whole patch.
 * Assigning a new ticket opens it too (a second event), unless the same PATCH says where its status goes.
 */
export function planPatch(principal: Principal, ticket: Ticket, patch: TicketPatch): PatchPlan {
  const changes: Extract<PatchPlan, { allowed: true }>['changes'] = {};
  const events: EventDraft[] = [];
  if (patch.status !== undefined && patch.status !== ticket.status) {
    if (!statusChange(principal.role, ticket.status, patch.status).allowed) return { allowed: false, field: 'status' };
    changes.status = patch.status;
    events.push(statusChanged(ticket.status, patch.status));
  }
  if (patch.priority !== undefined && patch.priority !== ticket.priority) {
    if (!isAgent(principal)) return { allowed: false, field: 'priority' };
    changes.priority = patch.priority;
    events.push({ type: 'priority_changed', data: { from: ticket.priority, to: patch.priority } });
  }
  if (patch.topic !== undefined && patch.topic !== ticket.topic) {
    if (!isAgent(principal)) return { allowed: false, field: 'topic' };
    changes.topic = patch.topic;
    events.push({ type: 'topic_changed', data: { from: ticket.topic, to: patch.topic } });
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== (ticket.assigneeId ?? null)) {
    if (!isAgent(principal)) return { allowed: false, field: 'assigneeId' };
    changes.assigneeId = patch.assigneeId;
    events.push({ type: 'assigned', data: { from: ticket.assigneeId ?? null, to: patch.assigneeId } });
    if (patch.assigneeId !== null && patch.status === undefined && ticket.status === 'new') {
      changes.status = 'open';
      events.push(statusChanged('new', 'open'));
    }
  }
  return { allowed: true, changes, events };
}

/** The agents' queue: chats nobody has taken yet that still wait for an answer. */
export const isQueued = (ticket: Pick<Ticket, 'channel' | 'assigneeId' | 'status'>): boolean =>
  ticket.channel === 'chat' && !ticket.assigneeId && (ticket.status === 'new' || ticket.status === 'open');

/**
 * Whether a listed ticket passes the list's filters (the ones its index did not already apply) and may be
 * shown to `principal` at all — a second check behind choosing only the caller's partitions.
 */
export function matchesFilters(principal: Principal, ticket: Ticket, filters: Omit<TicketFilters, 'q'>): boolean {
  return (
    canSeeTicket(principal, ticket) &&
    (filters.groupId === undefined || ticket.groupId === filters.groupId) &&
    (filters.status === undefined || ticket.status === filters.status) &&
    (filters.topic === undefined || ticket.topic === filters.topic) &&
    (filters.assigneeId === undefined || ticket.assigneeId === filters.assigneeId)
  );
}
