// Who may see what happens on a ticket: the one place that decides an event's audience. Every path a
// timeline takes (GET /tickets/{id}/events, ticket.subscribed's `missed`, chat.started's timeline, pushes)
// and the files a staff-only event carries (GET /attachments/{id}) ask here.
import type { Audience } from './audience.js';
import type { EventType, TicketEvent } from './events.js';
import { isStaffRole, type Role } from './roles.js';

/**
 * Events for staff alone: notes colleagues write to each other, and SLA breaches (the help desk's own
 * bookkeeping, as in Zendesk and Freshdesk, where customers never see an SLA).
 */
const staffOnly: ReadonlySet<EventType> = new Set<EventType>(['note', 'sla_breached']);

export const audienceOf = (event: Pick<TicketEvent, 'type'>): Audience =>
  staffOnly.has(event.type) ? 'staff' : 'everyone';

/**
 * Whether someone with `role` is in `audience`. A role that is not known (a subscription stored before
 * subscriptions carried one) is in no audience but everyone's.
 */
export const reaches = (role: Role | undefined, audience: Audience): boolean =>
  audience === 'everyone' || (role !== undefined && isStaffRole(role));

/** Whether someone with `role`, who sees the ticket, sees `event` on its timeline. */
export const canSeeEvent = (role: Role | undefined, event: Pick<TicketEvent, 'type'>): boolean =>
  reaches(role, audienceOf(event));

/** The events of a timeline that someone with `role` sees, in order. */
export const visibleEvents = <E extends Pick<TicketEvent, 'type'>>(role: Role | undefined, events: readonly E[]): E[] =>
  events.filter((event) => canSeeEvent(role, event));
