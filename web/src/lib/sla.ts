// A ticket's SLA clock as the console shows it: a badge with the time left to the next target. Pure: no DOM.
import type { Ticket } from '../api/types.js';

export type DueState = 'ok' | 'warning' | 'breached';

export interface Due {
  /** The target the badge counts down to (or the one missed). */
  target: 'first_response' | 'resolution';
  dueAt: string;
  state: DueState;
  /** Milliseconds left (negative once missed). */
  leftMs: number;
}

/** Under this share of the time a target gives, the badge turns amber. */
export const warningShare = 0.25;

/**
 * What the badge of `ticket` says at `now`, or undefined when its clock is stopped or it has none: the first
 * response while none was given, then the resolution. Red once the target is recorded as missed or its due
 * time has passed; amber under a quarter of its time left (measured from the ticket's opening).
 */
export function dueBadge(ticket: Pick<Ticket, 'createdAt' | 'sla' | 'status'>, now: Date): Due | undefined {
  const sla = ticket.sla;
  if (!sla || sla.pausedSince || ticket.status === 'resolved' || ticket.status === 'closed') return undefined;
  const target = !sla.firstRespondedAt && sla.firstResponseDueAt ? 'first_response' : 'resolution';
  const dueAt = target === 'first_response' ? sla.firstResponseDueAt : sla.resolutionDueAt;
  if (!dueAt) return undefined;
  const leftMs = Date.parse(dueAt) - now.getTime();
  const totalMs = Date.parse(dueAt) - Date.parse(ticket.createdAt);
  const state: DueState =
    sla.breaches.includes(target) || leftMs <= 0 ? 'breached' : leftMs < totalMs * warningShare ? 'warning' : 'ok';
  return { target, dueAt, state, leftMs };
}

/** "2 h 05 min", "45 min", "3 d 4 h": how long, briefly. */
export function shortDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(rest).padStart(2, '0')} min`;
  return `${rest} min`;
}
