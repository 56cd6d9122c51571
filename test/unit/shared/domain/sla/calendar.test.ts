import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  isBusinessTime,
  isTimeZone,
  localDate,
} from '../../../../../shared/domain/sla/calendar.js';
import { brazilNationalHolidays } from '../../../../../shared/domain/sla/holidays.js';

const minute = 60_000;
const saoPaulo: BusinessCalendar = {
  timeZone: 'America/Sao_Paulo',
  days: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '18:00',
  holidays: [...brazilNationalHolidays(2026), ...brazilNationalHolidays(2027)],
};

describe('business time in São Paulo', () => {
  it('carries an urgent first response from Friday 17:30 to Monday 08:30', () => {
    const friday = new Date('2026-12-04T17:30:00-03:00');
    expect(addBusinessTime(saoPaulo, friday, 60 * minute).toISOString()).toBe('2026-12-07T11:30:00.000Z');
  });

  it('skips holidays: Friday 2026-11-13 17:30 + 1 h crosses a weekend and Monday 16 (no), Friday 20 November', () => {
    // 15 November 2026 is a Sunday; 20 November (Consciência Negra) a Friday.
    const thursday = new Date('2026-11-19T17:00:00-03:00');
    expect(addBusinessTime(saoPaulo, thursday, 2 * 60 * minute).toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });

  it('starts counting at opening time when a ticket arrives at night', () => {
    const night = new Date('2026-12-08T23:00:00-03:00');
    expect(addBusinessTime(saoPaulo, night, 30 * minute).toISOString()).toBe('2026-12-09T11:30:00.000Z');
    expect(businessTimeBetween(saoPaulo, night, new Date('2026-12-09T09:00:00-03:00'))).toBe(60 * minute);
  });

  it('knows time zones the platform knows, and no others', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('keeps office hours local across a daylight-saving change (New York, 8 March 2026)', () => {
    const ny: BusinessCalendar = {
      timeZone: 'America/New_York',
      days: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '17:00',
      holidays: [],
    };
    // Friday 16:00 EST (UTC-5) + 2 h → Monday 10:00 EDT (UTC-4).
    expect(addBusinessTime(ny, new Date('2026-03-06T21:00:00Z'), 120 * minute).toISOString()).toBe(
      '2026-03-09T14:00:00.000Z',
    );
  });

  it('maps office hours that begin inside a skipped hour to just after the jump', () => {
    // Lord Howe Island moves its clocks forward by 30 minutes at 02:00 on the first Sunday of October.
    const lordHowe: BusinessCalendar = {
      timeZone: 'Australia/Lord_Howe',
      days: [7],
      start: '02:15',
      end: '03:00',
      holidays: [],
    };
    const sunday = new Date('2026-10-03T14:00:00Z'); // Sunday 01:00 local (+10:30)
    expect(businessTimeBetween(lordHowe, sunday, new Date('2026-10-04T14:00:00Z'))).toBeGreaterThan(0);
  });
});

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const zones = ['America/Sao_Paulo', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
const hhmm = fc
  .integer({ min: 0, max: 23 * 60 + 59 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const calendars: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...zones),
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    a: hhmm,
    b: hhmm,
    holidays: fc.uniqueArray(
      fc
        .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      { maxLength: 30 },
    ),
  })
  // Office hours of at least an hour, as a policy has them; the spans below then end within a few years.
  .filter(({ a, b }) => Math.abs(minutes(a) - minutes(b)) >= 60)
  .map(({ a, b, ...rest }) => {
    const [start = a, end = b] = [a, b].sort();
    return { ...rest, start, end };
  });
const instants = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-06-30T00:00:00Z'),
  noInvalidDate: true,
});
/** Up to the default policy's longest target (low priority's resolution: 7 200 business minutes). */
const spans = fc.integer({ min: 0, max: 7200 }).map((m) => m * minute);

describe('business-time arithmetic (properties)', () => {
  it('adds exactly the office time asked for, never earlier than the start', () => {
    fc.assert(
      fc.property(calendars, instants, spans, (calendar, start, ms) => {
        const due = addBusinessTime(calendar, start, ms);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(businessTimeBetween(calendar, start, due)).toBe(ms);
      }),
    );
  });

  it('lands inside office hours (or at their end), on an office day that is no holiday', () => {
    fc.assert(
      fc.property(
        calendars,
        instants,
        spans.filter((ms) => ms > 0),
        (calendar, start, ms) => {
          const due = addBusinessTime(calendar, start, ms);
          const justBefore = new Date(due.getTime() - 1);
          expect(isBusinessTime(calendar, justBefore)).toBe(true);
          expect(calendar.holidays).not.toContain(localDate(calendar, justBefore));
        },
      ),
    );
  });

  it('is monotonic and additive: adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(calendars, instants, spans, spans, (calendar, start, a, b) => {
        const first = addBusinessTime(calendar, start, a);
        expect(addBusinessTime(calendar, start, a + b).getTime()).toBeGreaterThanOrEqual(first.getTime());
        if (a > 0) expect(addBusinessTime(calendar, first, b)).toEqual(addBusinessTime(calendar, start, a + b));
      }),
    );
  });

  it('splits an interval into the office time of its parts', () => {
    fc.assert(
      fc.property(calendars, instants, instants, instants, (calendar, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(businessTimeBetween(calendar, a, b) + businessTimeBetween(calendar, b, c)).toBe(
          businessTimeBetween(calendar, a, c),
        );
        expect(businessTimeBetween(calendar, c, a)).toBe(0);
      }),
    );
  });
});

describe("Brazil's national holidays", () => {
  it('follow Easter for Good Friday and include 20 November from 2024 on', () => {
    expect(brazilNationalHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-21',
      '2026-05-01',
      '2026-09-07',
      '2026-10-12',
      '2026-11-02',
      '2026-11-15',
      '2026-11-20',
      '2026-12-25',
    ]);
    expect(brazilNationalHolidays(2025)).toContain('2025-04-18');
    expect(brazilNationalHolidays(2024)).toContain('2024-03-29');
    expect(brazilNationalHolidays(2023)).not.toContain('2023-11-20');
    expect(brazilNationalHolidays(2027)).toContain('2027-03-26');
  });
});
