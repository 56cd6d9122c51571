// The manager's figures: what each ticket change adds to the daily aggregates (day × topic × group × agent),
// and how a summary is answered from them. Pure: no I/O. The store keeps the aggregates
// (shared/store/reports.ts), written in the same transaction as the change that causes them.

import * as z from '../zod.js';
import type { SlaTarget, TicketEvent } from './events.js';
import { isAgentRole } from './roles.js';
import type { TicketSla } from './sla/ticket-sla.js';
import type { TicketRecord } from './tickets.js';

/**
 * Fixed histogram buckets for response and resolution times, in minutes: bucket i holds durations in
 * [bounds[i-1], bounds[i]) (bounds[-1] = 0), and one last bucket everything from 90 days on. A percentile is
 * answered with the upper bound of the bucket its rank falls in (the lower bound for the last bucket), so it is
 * never below the exact value and at most one bucket's width above it (README, "Reports").
 */
export const bucketBounds = [
  1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880, 4320, 5760, 7200, 10080,
  14400, 20160, 30240, 43200, 64800, 86400, 129600,
] as const;
export const bucketCount = bucketBounds.length + 1;

export function bucketOf(minutes: number): number {
  const index = bucketBounds.findIndex((bound) => minutes < bound);
  return index === -1 ? bucketBounds.length : index;
}

/** The range of bucket `i`, in minutes (the last one's upper end is Infinity). */
export const bucketRange = (i: number): { from: number; to: number } => ({
  from: i === 0 ? 0 : (bucketBounds[i - 1] ?? 0),
  to: bucketBounds[i] ?? Number.POSITIVE_INFINITY,
});

/**
 * The `p`-th percentile (0 < p ≤ 1, nearest rank) of the durations counted in `counts` (one per bucket),
 * or null when there are none.
 */
export function percentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) {
      const { from, to } = bucketRange(i);
      return Number.isFinite(to) ? to : from;
    }
  }
  return null;
}

export const defaultReportTimeZone = 'America/Sao_Paulo';

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
export function dayIn(timeZone: string, at: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
}

/** Where a figure is counted. A ticket without a group or an agent is counted under null. */
export interface ReportKey {
  day: string;
  topic: string;
  groupId: string | null;
  agentId: string | null;
}

/** The counters of one aggregate; `fr`/`rs` are the first-response and resolution histograms. */
export interface Counters {
  created: number;
  resolved: number;
  fr: number[];
  rs: number[];
  frMet: number;
  frMissed: number;
  rsMet: number;
  rsMissed: number;
  satSum: number;
  satCount: number;
}

export const emptyCounters = (): Counters => ({
  created: 0,
  resolved: 0,
  fr: new Array(bucketCount).fill(0),
  rs: new Array(bucketCount).fill(0),
  frMet: 0,
  frMissed: 0,
  rsMet: 0,
  rsMissed: 0,
  satSum: 0,
  satCount: 0,
});

/** What one change adds to one aggregate: counter name (`created`, `fr7`, `satSum`…) → increment. */
export interface Delta {
  key: ReportKey;
  adds: Record<string, number>;
}

/** The rating a ticket holds now, and where it was counted (so that a new one can take its place). */
export interface Rating {
  score: number;
  /** Tells this rating from the one it replaces. */
  id: string;
  key: ReportKey;
}

/** What the ticket record keeps for its figures (never shown as such: `ticketView` leaves it out). */
export interface ReportedTicket extends TicketRecord {
  /**
   * Its figures are in the aggregates and every change adds its own: set when the ticket is opened, or by the
   * rebuild (shared/tickets/report-rebuild.ts) for a ticket opened before the aggregates existed, whose changes
   * count only once the rebuild has counted its timeline.
   */
  reported?: true;
  /**
   * When staff first answered: the same moment as the SLA clock's `sla.firstRespondedAt`, kept beside it
   * because the report rebuild replays a timeline from a ticket whose clock already holds the final answer.
   */
  firstRespondedAt?: string;
  /** When it was last resolved. */
  resolvedAt?: string;
  rating?: Rating;
}

/**
 * Whether a ticket met `target`, answered at `at`: met when it was due and answered in time without a
 * recorded breach, missed when breached or late; undefined when the ticket has no due time for it (no SLA
 * yet), which counts neither way, so `slaMet` is null without data.
 */
export function slaOutcome(sla: TicketSla | undefined, target: SlaTarget, at: string): 'met' | 'missed' | undefined {
  const due = target === 'first_response' ? sla?.firstResponseDueAt : sla?.resolutionDueAt;
  if (!sla || due === undefined) return undefined;
  return sla.breaches.includes(target) || at > due ? 'missed' : 'met';
}

const minutesBetween = (from: string, to: string): number =>
  Math.max(0, (new Date(to).getTime() - new Date(from).getTime()) / 60_000);

/** A ticket counts as resolved when it becomes `resolved`, or `closed` without having been resolved first. */
export const resolves = (from: string, to: string): boolean =>
  to === 'resolved' || (to === 'closed' && from !== 'resolved');

/**
 * The fields a change stamps on the ticket for its figures: when staff first answered (`responderId` says
 * who answered, if the change is a staff message) and when it was resolved.
 */
export function stampReported(
  before: ReportedTicket,
  after: ReportedTicket,
  now: Date,
  staffMessage: boolean,
): ReportedTicket {
  const stamped = { ...after };
  if (staffMessage && before.firstRespondedAt === undefined) stamped.firstRespondedAt = now.toISOString();
  if (before.status !== after.status && resolves(before.status, after.status)) stamped.resolvedAt = now.toISOString();
  return stamped;
}

/**
 * What a change (ticket `before` → `after`, with its `events`) adds to the aggregates, merged by key.
 * `before` is undefined for a new ticket.
 */
export function reportDeltas(
  timeZone: string,
  before: ReportedTicket | undefined,
  after: ReportedTicket,
  events: readonly TicketEvent[],
): Delta[] {
  const deltas: Delta[] = [];
  const add = (key: ReportKey, name: string, by: number) => deltas.push({ key, adds: { [name]: by } });
  const keyAt = (at: string, agentId: string | null): ReportKey => ({
    day: dayIn(timeZone, at),
    topic: after.topic,
    groupId: after.groupId ?? null,
    agentId,
  });
  const assignee = after.assigneeId ?? null;
  if (!before) add(keyAt(after.createdAt, assignee), 'created', 1);
  if (after.firstRespondedAt !== undefined && before?.firstRespondedAt === undefined && before) {
    const answer = events.find((event) => event.type === 'message');
    const key = keyAt(after.firstRespondedAt, answer?.actor.id ?? assignee);
    add(key, `fr${bucketOf(minutesBetween(after.createdAt, after.firstRespondedAt))}`, 1);
    const outcome = slaOutcome(after.sla, 'first_response', after.firstRespondedAt);
    if (outcome) add(key, outcome === 'met' ? 'frMet' : 'frMissed', 1);
  }
  if (before && after.resolvedAt !== undefined && after.resolvedAt !== before.resolvedAt) {
    const key = keyAt(after.resolvedAt, assignee);
    add(key, 'resolved', 1);
    add(key, `rs${bucketOf(minutesBetween(after.createdAt, after.resolvedAt))}`, 1);
    const outcome = slaOutcome(after.sla, 'resolution', after.resolvedAt);
    if (outcome) add(key, outcome === 'met' ? 'rsMet' : 'rsMissed', 1);
  }
  if (after.rating && after.rating.id !== before?.rating?.id) {
    if (before?.rating) {
      add(before.rating.key, 'satSum', -before.rating.score);
      add(before.rating.key, 'satCount', -1);
    }
    add(after.rating.key, 'satSum', after.rating.score);
    add(after.rating.key, 'satCount', 1);
  }
  return mergeDeltas(deltas);
}

/**
 * One delta per key (a transaction may touch an item only once), without increments that cancel out (a rating
 * replaced by the same score on the same day writes nothing).
 */
export function mergeDeltas(deltas: readonly Delta[]): Delta[] {
  const merged = new Map<string, Delta>();
  for (const delta of deltas) {
    const id = reportKeyId(delta.key);
    const into = merged.get(id) ?? { key: delta.key, adds: {} };
    for (const [name, by] of Object.entries(delta.adds)) into.adds[name] = (into.adds[name] ?? 0) + by;
    merged.set(id, into);
  }
  return [...merged.values()]
    .map((delta) => ({
      key: delta.key,
      adds: Object.fromEntries(Object.entries(delta.adds).filter(([, n]) => n !== 0)),
    }))
    .filter((delta) => Object.keys(delta.adds).length > 0);
}

/** What a ticket's timeline adds to the aggregates, and the fields it leaves on the ticket. */
export interface Replayed {
  deltas: Delta[];
  stamped: Pick<ReportedTicket, 'firstRespondedAt' | 'resolvedAt' | 'rating'>;
}

/**
 * The figures of a whole timeline, change by change (the events of one change share their time and actor),
 * through the same rules as the live changes (stampReported, reportDeltas). `ticket` gives what the timeline
 * does not (id, requester, creation time, SLA).
 */
export function replayTimeline(timeZone: string, ticket: ReportedTicket, events: readonly TicketEvent[]): Replayed {
  const changes: TicketEvent[][] = [];
  for (const event of events) {
    const last = changes.at(-1)?.[0];
    if (last && last.createdAt === event.createdAt && last.actor.id === event.actor.id) changes.at(-1)?.push(event);
    else changes.push([event]);
  }
  const deltas: Delta[] = [];
  let state: ReportedTicket | undefined;
  for (const change of changes) {
    const at = change[0]?.createdAt ?? ticket.createdAt;
    const opened = change.find((e) => e.type === 'created');
    const base: ReportedTicket = state ?? {
      ...ticket,
      createdAt: at,
      firstRespondedAt: undefined,
      resolvedAt: undefined,
      rating: undefined,
      assigneeId: undefined,
    };
    if (!state && opened?.type === 'created') {
      base.topic = opened.data.topic as ReportedTicket['topic'];
      base.status = opened.data.status as ReportedTicket['status'];
      base.groupId = opened.data.groupId;
    }
    const next: ReportedTicket = { ...base };
    let staffMessage = false;
    for (const event of change) {
      if (event.type === 'status_changed') next.status = event.data.to as ReportedTicket['status'];
      if (event.type === 'assigned') next.assigneeId = event.data.to ?? undefined;
      if (event.type === 'topic_changed') next.topic = event.data.to as ReportedTicket['topic'];
      if (event.type === 'message' && isAgentRole(event.actor.role)) staffMessage = true;
    }
    for (const event of change) {
      if (event.type !== 'satisfaction') continue;
      next.rating = {
        score: event.data.score,
        id: event.id,
        key: {
          day: dayIn(timeZone, at),
          topic: next.topic,
          groupId: next.groupId ?? null,
          agentId: next.assigneeId ?? null,
        },
      };
    }
    const after = state ? stampReported(state, next, new Date(at), staffMessage) : next;
    deltas.push(...reportDeltas(timeZone, state, after, change));
    state = after;
  }
  return {
    deltas: mergeDeltas(deltas),
    stamped: { firstRespondedAt: state?.firstRespondedAt, resolvedAt: state?.resolvedAt, rating: state?.rating },
  };
}

/** The aggregate's place within its day, unique per key. */
export const reportKeyId = (key: ReportKey): string =>
  [key.day, key.topic, key.groupId ?? '-', key.agentId ?? '-'].join('#');

/** Adds `adds` (a Delta's, or an aggregate read back) to `counters`. */
export function addTo(counters: Counters, adds: Record<string, number>): void {
  for (const [name, by] of Object.entries(adds)) {
    const bucket = /^(fr|rs)(\d+)$/.exec(name);
    if (bucket) {
      const list = bucket[1] === 'fr' ? counters.fr : counters.rs;
      const i = Number(bucket[2]);
      if (i < list.length) list[i] = (list[i] ?? 0) + by;
    } else if (name in counters && name !== 'fr' && name !== 'rs') {
      (counters as unknown as Record<string, number>)[name] =
        ((counters as unknown as Record<string, number>)[name] ?? 0) + by;
    }
  }
}

// ---- The summary (GET /reports/summary) ---------------------------------------------------------------

export const reportDimensions = ['day', 'topic', 'group', 'agent'] as const;
export type ReportDimension = (typeof reportDimensions)[number];
export const maxReportDays = 366;

const Day = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'use YYYY-MM-DD' }))
  .check(z.refine((day) => isCalendarDay(day), { error: 'not a calendar day' }));

interface Period {
  from: string;
  to: string;
}

const periodChecks = [
  z.refine<Period>((q) => q.from <= q.to, {
    error: '`from` must not be after `to`',
    path: ['to'],
  }),
  z.refine<Period>((q) => q.from > q.to || daysBetween(q.from, q.to) <= maxReportDays, {
    error: `at most ${maxReportDays} days per request`,
    path: ['to'],
  }),
];

export const SummaryQuery = z
  .strictObject({ from: Day, to: Day, by: z.optional(z.enum(reportDimensions)) })
  .check(...periodChecks);
/** The period alone (GET /reports/comments). */
export const SummaryPeriod = z.strictObject({ from: Day, to: Day }).check(...periodChecks);
export type SummaryInput = z.output<typeof SummaryQuery>;

function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export interface SummaryRow {
  key: string | null;
  created: number;
  resolved: number;
  firstResponse: { p50Minutes: number | null; p90Minutes: number | null };
  resolution: { p50Minutes: number | null; p90Minutes: number | null };
  slaMet: { firstResponse: number | null; resolution: number | null };
  satisfaction: { average: number | null; responses: number };
}

/** A rating's comment, as the dashboard lists it (GET /reports/comments). */
export interface RatingComment {
  ticketId: string;
  ticketNumber: number;
  score: number;
  comment: string;
  createdAt: string;
}

export interface Summary {
  from: string;
  to: string;
  by: ReportDimension;
  rows: SummaryRow[];
}

const ratio = (met: number, missed: number): number | null => (met + missed === 0 ? null : met / (met + missed));

export function summaryRow(key: string | null, c: Counters): SummaryRow {
  return {
    key,
    created: c.created,
    resolved: c.resolved,
    firstResponse: { p50Minutes: percentile(c.fr, 0.5), p90Minutes: percentile(c.fr, 0.9) },
    resolution: { p50Minutes: percentile(c.rs, 0.5), p90Minutes: percentile(c.rs, 0.9) },
    slaMet: { firstResponse: ratio(c.frMet, c.frMissed), resolution: ratio(c.rsMet, c.rsMissed) },
    satisfaction: {
      average: c.satCount === 0 ? null : Math.round((c.satSum / c.satCount) * 100) / 100,
      responses: c.satCount,
    },
  };
}

const dimensionOf = (by: ReportDimension, key: ReportKey): string | null =>
  by === 'day' ? key.day : by === 'topic' ? key.topic : by === 'group' ? key.groupId : key.agentId;

/**
 * The summary of the aggregates read for the period, one row per value of `by`: every day of the period
 * for `day` (a quiet day is a row of zeros, so a chart has no gaps), otherwise each value that has figures,
 * in key order (null last).
 */
export function summarize(input: SummaryInput, aggregates: readonly Delta[]): Summary {
  const by = input.by ?? 'day';
  const rows = new Map<string | null, Counters>();
  if (by === 'day') for (const day of eachDay(input.from, input.to)) rows.set(day, emptyCounters());
  for (const { key, adds } of aggregates) {
    if (key.day < input.from || key.day > input.to) continue;
    const value = dimensionOf(by, key);
    const counters = rows.get(value) ?? emptyCounters();
    addTo(counters, adds);
    rows.set(value, counters);
  }
  const keys = [...rows.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return {
    from: input.from,
    to: input.to,
    by,
    rows: keys.map((key) => summaryRow(key, rows.get(key) ?? emptyCounters())),
  };
}

const csvColumns = [
  'key',
  'created',
  'resolved',
  'firstResponse.p50Minutes',
  'firstResponse.p90Minutes',
  'resolution.p50Minutes',
  'resolution.p90Minutes',
  'slaMet.firstResponse',
  'slaMet.resolution',
  'satisfaction.average',
  'satisfaction.responses',
] as const;

/** RFC 4180 text: a cell with a comma, quote or line break is quoted; one that starts like a formula too. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The summary as CSV: one column per field, dotted names (`firstResponse.p50Minutes`); null is empty. */
export function summaryCsv(summary: Summary): string {
  const lines = [csvColumns.join(',')];
  for (const row of summary.rows) {
    lines.push(
      csvColumns
        .map((column) =>
          csvCell(column.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown>)?.[part], row)),
        )
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
