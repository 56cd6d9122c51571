// The SLA policy: one per deployment (docs/api.md, "The agent's day"): a business calendar and, per priority,
// the business minutes within which a ticket gets its first answer and its resolution.
import * as z from '../../zod.js';
import { type BusinessCalendar, isTimeZone, localDate } from './calendar.js';
import { brazilNationalHolidays } from './holidays.js';

export interface SlaTargetMinutes {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** A ticket's priorities (domain/tickets.ts, which imports this module's neighbours, so not imported here). */
type Priority = 'urgent' | 'high' | 'normal' | 'low';

export interface SlaPolicy {
  calendar: BusinessCalendar;
  targets: Record<Priority, SlaTargetMinutes>;
}

/** A year of business minutes: more would put due times past anything a calendar is walked for. */
const maxTargetMinutes = 365 * 24 * 60;
/** Holidays a policy may list (the item holding the policy must stay small). */
export const maxHolidays = 400;

/** How far due times may lie (domain/sla/calendar.ts walks at most this long). */
const calendarYears = 10;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const Time = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'use HH:MM, 00:00–23:59' }));

const isRealDate = (date: string): boolean => {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
};
const HolidayDate = z
  .string()
  .check(z.refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isRealDate(s), { error: 'not a date (YYYY-MM-DD)' }));

const Minutes = z.number().check(z.int(), z.gte(1), z.lte(maxTargetMinutes));
const Target = z.strictObject({ firstResponseMinutes: Minutes, resolutionMinutes: Minutes });

export const SlaPolicyBody = z
  .strictObject({
    calendar: z
      .strictObject({
        timeZone: z.string().check(
          z.maxLength(64),
          z.refine((tz) => isTimeZone(tz), { error: 'not a time zone (an IANA name such as America/Sao_Paulo)' }),
        ),
        days: z.array(z.number().check(z.int(), z.gte(1), z.lte(7))).check(
          z.minLength(1),
          z.maxLength(7),
          z.refine((days) => new Set(days).size === days.length, { error: 'lists a day twice' }),
        ),
        start: Time,
        end: Time,
        holidays: z.array(HolidayDate).check(z.maxLength(maxHolidays)),
      })
      .check(
        z.superRefine((calendar, ctx) => {
          if (calendar.end <= calendar.start) {
            ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
          }
        }),
      ),
    targets: z.strictObject({ urgent: Target, high: Target, normal: Target, low: Target }),
  })
  .check(
    z.superRefine((policy, ctx) => {
      // Due times are found by walking the calendar for at most ten years (domain/sla/calendar.ts): a target
      // must fit in the office time ten years of it surely hold, every listed holiday taken away.
      const { days, start, end, holidays } = policy.calendar;
      const daily = minutesOf(end) - minutesOf(start);
      if (daily <= 0) return; // refused on calendar.end
      const capacity = (calendarYears * 52 * days.length - holidays.length) * daily;
      for (const [priority, target] of Object.entries(policy.targets)) {
        for (const field of ['firstResponseMinutes', 'resolutionMinutes'] as const) {
          if (target[field] > capacity) {
            ctx.addIssue({
              code: 'custom',
              path: ['targets', priority, field],
              message: `more office time than ${calendarYears} years of this calendar hold`,
            });
          }
        }
      }
    }),
  );

/** A policy as given: days and holidays in order, holidays once each. */
export function normalizePolicy(body: z.output<typeof SlaPolicyBody>): SlaPolicy {
  return {
    calendar: {
      ...body.calendar,
      days: [...body.calendar.days].sort(),
      holidays: [...new Set(body.calendar.holidays)].sort(),
    },
    targets: body.targets,
  };
}

/**
 * The policy until an admin sets one: São Paulo office hours, Monday to Friday 08:00–18:00, Brazil's national
 * holidays of the current and the next year (computed at `now`, so it never runs out), and the contract's
 * targets.
 */
export function defaultSlaPolicy(now: Date): SlaPolicy {
  const timeZone = 'America/Sao_Paulo';
  const year = Number(localDate({ timeZone }, now).slice(0, 4));
  return {
    calendar: {
      timeZone,
      days: [1, 2, 3, 4, 5],
      start: '08:00',
      end: '18:00',
      holidays: [...brazilNationalHolidays(year), ...brazilNationalHolidays(year + 1)],
    },
    targets: {
      urgent: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      high: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      normal: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
      low: { firstResponseMinutes: 1440, resolutionMinutes: 7200 },
    },
  } satisfies SlaPolicy;
}
