// A ticket's SLA clock: its due times from the policy, paused while the ticket waits for its customer (and
// stopped while it is resolved or closed), and the targets it missed. Pure: every change to a ticket asks
// `planSla` what its clock says now (shared/tickets/transaction.ts), and the SLA job asks it at the due times.
import type { SlaTarget } from '../events.js';
import { addBusinessTime, businessTimeBetween } from './calendar.js';
import type { SlaPolicy } from './policy.js';

/** The contract's `ticket.sla`. */
export interface TicketSla {
  firstResponseDueAt?: string;
  firstRespondedAt?: string;
  resolutionDueAt?: string;
  /** Since when the clock stands still (waiting for the customer, or resolved). */
  pausedSince?: string;
  breaches: SlaTarget[];
  /** Business ms the clock stood still before `pausedSince`: due times move by this much. Server only. */
  pausedMs?: number;
}

/** What the clock needs of a ticket. */
export interface SlaSubject {
  createdAt: string;
  priority: 'urgent' | 'high' | 'normal' | 'low';
  status: 'new' | 'open' | 'pending_customer' | 'resolved' | 'closed';
  sla?: TicketSla;
}

const stopped = (status: SlaSubject['status']): boolean =>
  status === 'pending_customer' || status === 'resolved' || status === 'closed';

const minuteMs = 60_000;

/**
 * The clock of `ticket` (as it is after a change) at `now`; `staffAnswered` when the change is a staff
 * message (the first one is the first response). Breaches are not decided here: the SLA job records them
 * (`missedTargets`), each with its `sla_breached` event.
 */
export function planSla(policy: SlaPolicy, ticket: SlaSubject, now: Date, staffAnswered = false): TicketSla {
  const before = ticket.sla ?? { breaches: [] };
  const { calendar } = policy;
  let pausedMs = before.pausedMs ?? 0;
  let pausedSince = before.pausedSince;
  if (pausedSince !== undefined && !stopped(ticket.status)) {
    pausedMs += businessTimeBetween(calendar, new Date(pausedSince), now);
    pausedSince = undefined;
  } else if (pausedSince === undefined && stopped(ticket.status)) {
    pausedSince = now.toISOString();
  }
  const firstRespondedAt = before.firstRespondedAt ?? (staffAnswered ? now.toISOString() : undefined);
  const target = policy.targets[ticket.priority];
  const created = new Date(ticket.createdAt);
  const due = (minutes: number) => addBusinessTime(calendar, created, minutes * minuteMs + pausedMs).toISOString();
  return {
    firstResponseDueAt: due(target.firstResponseMinutes),
    ...(firstRespondedAt ? { firstRespondedAt } : {}),
    resolutionDueAt: due(target.resolutionMinutes),
    ...(pausedSince ? { pausedSince } : {}),
    breaches: before.breaches,
    ...(pausedMs > 0 ? { pausedMs } : {}),
  };
}

/**
 * The targets not recorded as missed whose due time the clock has passed or may still pass, each with
 * its due time: a first response met in time, or a clock stopped in time, owes nothing.
 */
function owed(sla: TicketSla): Array<{ target: SlaTarget; dueAt: string; metAt?: string }> {
  const candidates = [
    {
      target: 'first_response' as const,
      dueAt: sla.firstResponseDueAt,
      metAt: sla.firstRespondedAt ?? sla.pausedSince,
    },
    { target: 'resolution' as const, dueAt: sla.resolutionDueAt, metAt: sla.pausedSince },
  ];
  return candidates.flatMap(({ target, dueAt, metAt }) =>
    dueAt === undefined || sla.breaches.includes(target) || (metAt !== undefined && metAt <= dueAt)
      ? []
      : [{ target, dueAt, ...(metAt === undefined ? {} : { metAt }) }],
  );
}

/** The targets `sla` has missed by `now` that are not recorded yet. */
export function missedTargets(sla: TicketSla, now: Date): SlaTarget[] {
  return owed(sla)
    .filter(({ dueAt }) => dueAt < now.toISOString())
    .map(({ target }) => target);
}

/** When the SLA job must next look at this clock (its due-time index, store/sla.ts), if ever. */
export function nextCheck(sla: TicketSla | undefined): string | undefined {
  return sla
    ? owed(sla)
        .map(({ dueAt }) => dueAt)
        .sort()[0]
    : undefined;
}

/**
 * Where a ticket stands in "open tickets by due time" (GET /tickets?sort=due), or undefined when its clock
 * is stopped: its earliest target not met yet, missed or not (a missed one sorts first, as most urgent).
 */
export function dueAt(sla: TicketSla | undefined): string | undefined {
  if (!sla || sla.pausedSince !== undefined) return undefined;
  const open = [
    ...(sla.firstResponseDueAt && !sla.firstRespondedAt ? [sla.firstResponseDueAt] : []),
    ...(sla.resolutionDueAt ? [sla.resolutionDueAt] : []),
  ];
  return open.sort()[0];
}

/** Whether two clocks say the same (however their fields were ordered when stored). */
export function sameSla(a: TicketSla | undefined, b: TicketSla | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.firstResponseDueAt === b.firstResponseDueAt &&
    a.firstRespondedAt === b.firstRespondedAt &&
    a.resolutionDueAt === b.resolutionDueAt &&
    a.pausedSince === b.pausedSince &&
    (a.pausedMs ?? 0) === (b.pausedMs ?? 0) &&
    a.breaches.join() === b.breaches.join()
  );
}

/** `ticket.sla` as the contract shows it. */
export function slaView(sla: TicketSla): Omit<TicketSla, 'pausedMs'> {
  const { pausedMs: _pausedMs, ...view } = sla;
  return view;
}
