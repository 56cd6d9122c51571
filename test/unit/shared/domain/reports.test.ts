import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlaTarget, TicketEvent } from '../../../../shared/domain/events.js';
import {
  bucketBounds,
  bucketOf,
  bucketRange,
  type Delta,
  dayIn,
  percentile,
  type ReportedTicket,
  replayTimeline,
  reportDeltas,
  SummaryQuery,
  slaOutcome,
  stampReported,
  summarize,
  summaryCsv,
} from '../../../../shared/domain/reports.js';
import { whyNotRatable } from '../../../../shared/domain/satisfaction.js';
import { ticketRecord } from '../tickets/ticket-record.js';

const zone = 'America/Sao_Paulo';
const message = (actorId: string): TicketEvent =>
  ({
    id: 'E',
    ticketId: 'T',
    type: 'message',
    actor: { id: actorId, name: 'x', role: 'agent' },
    createdAt: '',
    data: { body: 'b', attachments: [] },
  }) as TicketEvent;

describe('histogram percentiles', () => {
  it('answers within the bucket of the exact nearest-rank percentile, never below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 200_000, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.5, 0.9),
        (durations, p) => {
          const counts = new Array(bucketBounds.length + 1).fill(0);
          for (const d of durations) counts[bucketOf(d)]++;
          const sorted = [...durations].sort((a, b) => a - b);
          const exact = sorted[Math.ceil(p * sorted.length) - 1] as number;
          const answered = percentile(counts, p) as number;
          const { from, to } = bucketRange(bucketOf(exact));
          expect(answered).toBeGreaterThanOrEqual(from);
          expect(answered).toBeLessThanOrEqual(Number.isFinite(to) ? to : from);
        },
      ),
    );
  });

  it('is null without data', () => {
    expect(percentile(new Array(bucketBounds.length + 1).fill(0), 0.5)).toBeNull();
  });
});

describe('days', () => {
  it('are those of the time zone: 01:00 UTC is still the day before in São Paulo', () => {
    expect(dayIn(zone, '2030-03-02T01:00:00.000Z')).toBe('2030-03-01');
    expect(dayIn(zone, '2030-03-02T03:00:00.000Z')).toBe('2030-03-02');
  });
});

describe('what a change adds to the aggregates', () => {
  const created = ticketRecord({ createdAt: '2030-03-02T12:00:00.000Z', groupId: 'G1', topic: 'billing' });

  it('counts a new ticket under its day, topic, group and (no) agent', () => {
    expect(reportDeltas(zone, undefined, created, [])).toEqual([
      { key: { day: '2030-03-02', topic: 'billing', groupId: 'G1', agentId: null }, adds: { created: 1 } },
    ]);
  });

  it("counts staff's first answer once, under the one who answered, with its SLA outcome", () => {
    const now = new Date('2030-03-02T12:40:00.000Z');
    const withSla = { ...created, sla: { firstResponseDueAt: '2030-03-02T13:00:00.000Z', breaches: [] } };
    const answered = stampReported(withSla, withSla, now, true);
    expect(answered.firstRespondedAt).toBe(now.toISOString());
    expect(reportDeltas(zone, withSla, answered, [message('A1')])).toEqual([
      {
        key: { day: '2030-03-02', topic: 'billing', groupId: 'G1', agentId: 'A1' },
        adds: { [`fr${bucketOf(40)}`]: 1, frMet: 1 },
      },
    ]);
    const again = stampReported(answered, answered, new Date('2030-03-02T14:00:00.000Z'), true);
    expect(reportDeltas(zone, answered, again, [message('A1')])).toEqual([]);
  });

  it('counts a resolution (again after a reopening), and no SLA outcome for a ticket without SLA', () => {
    const resolved = stampReported(
      created,
      { ...created, status: 'resolved', assigneeId: 'A2' },
      new Date('2030-03-04T12:00:00.000Z'),
      false,
    );
    const [delta] = reportDeltas(zone, created, resolved, []);
    expect(delta).toEqual({
      key: { day: '2030-03-04', topic: 'billing', groupId: 'G1', agentId: 'A2' },
      adds: { resolved: 1, [`rs${bucketOf(2 * 1440)}`]: 1 },
    });
    const reopened = stampReported(resolved, { ...resolved, status: 'open' }, new Date('2030-03-05T12:00:00Z'), false);
    expect(reportDeltas(zone, resolved, reopened, [])).toEqual([]);
    const again = stampReported(reopened, { ...reopened, status: 'resolved' }, new Date('2030-03-06T12:00:00Z'), false);
    expect(reportDeltas(zone, reopened, again, [])[0]?.adds.resolved).toBe(1);
  });

  it('replaces an earlier rating: the old score leaves its day, the new one is counted', () => {
    const key = { day: '2030-03-05', topic: 'billing', groupId: 'G1', agentId: null };
    const first: ReportedTicket = { ...created, rating: { score: 2, id: 'R1', key } };
    const second: ReportedTicket = { ...first, rating: { score: 5, id: 'R2', key: { ...key, day: '2030-03-06' } } };
    expect(reportDeltas(zone, created, first, [])).toEqual([{ key, adds: { satSum: 2, satCount: 1 } }]);
    expect(reportDeltas(zone, first, second, [])).toEqual([
      { key, adds: { satSum: -2, satCount: -1 } },
      { key: { ...key, day: '2030-03-06' }, adds: { satSum: 5, satCount: 1 } },
    ]);
  });
});

describe('SLA outcome', () => {
  it('is met in time, missed when late or breached, and undefined without a due time', () => {
    const sla = { firstResponseDueAt: '2030-01-01T10:00:00.000Z', breaches: [] as SlaTarget[] };
    expect(slaOutcome(sla, 'first_response', '2030-01-01T09:59:00.000Z')).toBe('met');
    expect(slaOutcome(sla, 'first_response', '2030-01-01T10:01:00.000Z')).toBe('missed');
    expect(slaOutcome({ ...sla, breaches: ['first_response'] }, 'first_response', '2030-01-01T09:00:00Z')).toBe(
      'missed',
    );
    expect(slaOutcome(sla, 'resolution', '2030-01-01T09:00:00.000Z')).toBeUndefined();
    expect(slaOutcome(undefined, 'first_response', '2030-01-01T09:00:00.000Z')).toBeUndefined();
  });
});

describe('the summary', () => {
  const a = { day: '2030-03-02', topic: 'billing', groupId: 'G1', agentId: 'A1' };
  const b = { day: '2030-03-04', topic: 'other', groupId: null, agentId: null };
  const aggregates: Delta[] = [
    { key: a, adds: { created: 2, resolved: 1, rs3: 1, frMet: 1, frMissed: 1, satSum: 9, satCount: 2 } },
    { key: b, adds: { created: 1 } },
  ];

  it('has a row for every day by day, and for each value that has figures otherwise (null last)', () => {
    const byDay = summarize({ from: '2030-03-01', to: '2030-03-04', by: 'day' }, aggregates);
    expect(byDay.rows.map((r) => [r.key, r.created])).toEqual([
      ['2030-03-01', 0],
      ['2030-03-02', 2],
      ['2030-03-03', 0],
      ['2030-03-04', 1],
    ]);
    expect(byDay.rows[1]).toMatchObject({
      resolution: { p50Minutes: bucketBounds[3], p90Minutes: bucketBounds[3] },
      slaMet: { firstResponse: 0.5, resolution: null },
      satisfaction: { average: 4.5, responses: 2 },
    });
    const byGroup = summarize({ from: '2030-03-01', to: '2030-03-04', by: 'group' }, aggregates);
    expect(byGroup.rows.map((r) => r.key)).toEqual(['G1', null]);
  });

  it('as CSV: dotted columns, empty for null', () => {
    const csv = summaryCsv(summarize({ from: '2030-03-02', to: '2030-03-02', by: 'topic' }, aggregates));
    expect(csv.split('\r\n')).toEqual([
      'key,created,resolved,firstResponse.p50Minutes,firstResponse.p90Minutes,resolution.p50Minutes,resolution.p90Minutes,slaMet.firstResponse,slaMet.resolution,satisfaction.average,satisfaction.responses',
      `billing,2,1,,,${bucketBounds[3]},${bucketBounds[3]},0.5,,4.5,2`,
      '',
    ]);
  });

  it('takes at most 366 days, real calendar days, from before to', () => {
    expect(SummaryQuery.safeParse({ from: '2030-01-01', to: '2031-01-01' }).success).toBe(true);
    expect(SummaryQuery.safeParse({ from: '2030-01-01', to: '2031-01-02' }).success).toBe(false);
    expect(SummaryQuery.safeParse({ from: '2030-02-30', to: '2030-03-01' }).success).toBe(false);
    expect(SummaryQuery.safeParse({ from: '2030-03-02', to: '2030-03-01' }).success).toBe(false);
  });
});

describe('when a ticket may be rated', () => {
  const resolved = ticketRecord({ status: 'resolved' }) as ReportedTicket;
  const at = { ...resolved, resolvedAt: '2030-01-01T00:00:00.000Z' };
  it('only resolved, and within 14 days of the resolution', () => {
    expect(whyNotRatable(at, new Date('2030-01-15T00:00:00.000Z'))).toBeUndefined();
    expect(whyNotRatable(at, new Date('2030-01-15T00:00:01.000Z'))).toMatch(/14 days/);
    expect(whyNotRatable({ ...at, status: 'closed' }, new Date('2030-01-02T00:00:00.000Z'))).toMatch(/resolved/);
  });
});

describe('replaying a timeline', () => {
  const at = (minutes: number) => new Date(Date.parse('2030-03-02T12:00:00.000Z') + minutes * 60_000).toISOString();
  let n = 0;
  const event = (minutes: number, actor: { id: string; role: string }, draft: { type: string; data: unknown }) =>
    ({
      id: `E${String(n++).padStart(3, '0')}`,
      ticketId: 'T',
      actor: { ...actor, name: 'x' },
      createdAt: at(minutes),
      ...draft,
    }) as TicketEvent;
  const ana = { id: 'C1', role: 'customer' };
  const caio = { id: 'A1', role: 'agent' };

  it('counts each change as the live path does: first answer, one change assigning and resolving, the latest rating', () => {
    const events = [
      event(0, ana, { type: 'created', data: { topic: 'billing', status: 'new', groupId: 'G1' } }),
      event(40, caio, { type: 'message', data: { body: 'oi', attachments: [] } }),
      event(40, caio, { type: 'status_changed', data: { from: 'new', to: 'open' } }),
      event(50, caio, { type: 'message', data: { body: 'mais', attachments: [] } }),
      event(100, caio, { type: 'status_changed', data: { from: 'open', to: 'resolved' } }),
      event(100, caio, { type: 'assigned', data: { from: null, to: 'A1' } }),
      event(200, ana, { type: 'satisfaction', data: { score: 2 } }),
      event(300, ana, { type: 'satisfaction', data: { score: 4 } }),
    ];
    const ticket = ticketRecord({ createdAt: at(0), status: 'resolved', assigneeId: 'A1', topic: 'other' });
    const { deltas, stamped } = replayTimeline(zone, ticket, events);
    const key = { day: '2030-03-02', topic: 'billing', groupId: 'G1' };
    expect(deltas).toEqual([
      { key: { ...key, agentId: null }, adds: { created: 1 } },
      {
        key: { ...key, agentId: 'A1' },
        adds: { [`fr${bucketOf(40)}`]: 1, resolved: 1, [`rs${bucketOf(100)}`]: 1, satSum: 4, satCount: 1 },
      },
    ]);
    expect(stamped).toMatchObject({
      firstRespondedAt: at(40),
      resolvedAt: at(100),
      rating: { score: 4, id: events[7]?.id },
    });
  });
});
