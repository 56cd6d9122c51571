// The timeline: everything that happens to a ticket is an event, appended in the same transaction as the
// change itself and never edited or deleted.
import { incrementBase32, ulid } from 'ulid';
import type { Attachment } from './attachments.js';
import type { Principal, Role } from './roles.js';

export const eventTypes = [
  'created',
  'message',
  'status_changed',
  'assigned',
  'priority_changed',
  'topic_changed',
  'attachment_added',
  'access_granted',
  'follower_added',
  'follower_removed',
  'note',
  'sla_breached',
  'satisfaction',
] as const;
export type EventType = (typeof eventTypes)[number];

/** Who did it, as it was at the time. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
}

export const actorOf = (principal: Principal): Actor => ({
  id: principal.userId,
  name: principal.name,
  role: principal.role,
});

/** What each event type records in `data`. */
export interface EventData {
  created: {
    subject: string;
    description: string;
    topic: string;
    priority: string;
    status: string;
    channel: string;
    groupId?: string;
    documentRef?: unknown;
    attachments: Attachment[];
  };
  message: { body: string; attachments: Attachment[]; clientMessageId?: string };
  /** `reopen`: the ticket left `resolved`/`closed` for an active status. */
  status_changed: { from: string; to: string; reopen?: true };
  /** `auto`: round-robin gave it (shared/tickets/assignment.ts), not a person. */
  assigned: { from: string | null; to: string | null; auto?: true };
  priority_changed: { from: string; to: string };
  topic_changed: { from: string; to: string };
  attachment_added: { attachments: Attachment[] };
  access_granted: { groupId: string; email: string; inviteId: string };
  /** Who started or stopped following the ticket (the actor, for `…/followers/me`). */
  follower_added: { userId: string };
  follower_removed: { userId: string };
  /** Staff writing to each other on the ticket (domain/visibility.ts keeps it from everyone else). */
  note: { body: string; attachments: Attachment[] };
  sla_breached: { target: SlaTarget };
  /** The requester's rating of a resolved ticket; a later one replaces it (domain/satisfaction.ts). */
  satisfaction: { score: number; comment?: string };
}

/** The two promises an SLA policy makes on a ticket. */
export const slaTargets = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof slaTargets)[number];

/** An event before it has its place on the timeline. */
export type EventDraft = { [T in EventType]: { type: T; data: EventData[T] } }[EventType];

/** The contract's `event`. */
export type TicketEvent = EventDraft & {
  id: string;
  ticketId: string;
  actor: Actor;
  createdAt: string;
};

/**
 * The id of the event after `lastEventId`: a ULID for `now`, or — when the clock says otherwise, or two
 * events share a millisecond — the smallest id above the last. Every write to a ticket is conditioned on
 * the version it read or on the ticket's last event id still being below its own, so ids grow in commit
 * order and `after=<id>` never skips an event committed later.
 */
export function nextEventId(lastEventId: string | undefined, now: number): string {
  const fresh = ulid(now);
  if (lastEventId === undefined || fresh > lastEventId) return fresh;
  return incrementBase32(lastEventId);
}

/** Places `drafts` on the timeline after `lastEventId`, in order. */
export function stampEvents(
  drafts: readonly EventDraft[],
  ticketId: string,
  principal: Principal,
  lastEventId: string | undefined,
  now: Date,
): TicketEvent[] {
  let last = lastEventId;
  return drafts.map((draft) => {
    last = nextEventId(last, now.getTime());
    return { ...draft, id: last, ticketId, actor: actorOf(principal), createdAt: now.toISOString() } as TicketEvent;
  });
}
