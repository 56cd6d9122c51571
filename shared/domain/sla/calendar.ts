// Business time: how much of an interval falls inside a calendar's office hours, and where a span of office
// time starting at an instant ends. Pure, on the platform's own time-zone data (Intl), so daylight-saving
// changes are the zone's own: an office day's hours are local wall-clock hours, however long that day is.

/** Office hours: ISO weekdays (1 = Monday … 7 = Sunday), local "HH:MM" start and end, holidays as local dates. */
export interface BusinessCalendar {
  timeZone: string;
  days: readonly number[];
  start: string;
  end: string;
  holidays: readonly string[];
}

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;
/** How far one computation may walk, in local days: ten years of a calendar with one office day a week. */
const maxDays = 3660;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the platform knows `timeZone` (an IANA name such as America/Sao_Paulo). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instant`, as if it were UTC (epoch ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((instant % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at `instant`, in ms. */
const offsetAt = (instant: number, timeZone: string): number => wallClock(instant, timeZone) - instant;

/**
 * The instant whose wall-clock time in `timeZone` is `wall` (epoch ms read as UTC). A wall time the zone
 * skips (the hour lost when clocks go forward) maps to the instant just after the gap, as people read it.
 */
function instantOf(wall: number, timeZone: string): number {
  const guess = wall - offsetAt(wall, timeZone);
  const offset = offsetAt(guess, timeZone);
  const instant = wall - offset;
  if (wallClock(instant, timeZone) === wall) return instant;
  // In a gap: the later of the two offsets puts it after the jump.
  return wall - Math.min(offset, offsetAt(instant, timeZone));
}

const minutesOf = (hhmm: string): number => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/** A local date ("YYYY-MM-DD") as midnight UTC ms, and back. */
const dayOf = (wall: number): number => Math.floor(wall / dayMs) * dayMs;
const dateString = (day: number): string => new Date(day).toISOString().slice(0, 10);
/** ISO weekday of a local day (1 = Monday … 7 = Sunday). */
const weekday = (day: number): number => new Date(day).getUTCDay() || 7;

/** Office hours of the local day `day` (midnight UTC ms), as instants, or undefined when the office is shut. */
function window(calendar: BusinessCalendar, day: number): { from: number; to: number } | undefined {
  if (!calendar.days.includes(weekday(day)) || calendar.holidays.includes(dateString(day))) return undefined;
  const from = instantOf(day + minutesOf(calendar.start) * minuteMs, calendar.timeZone);
  const to = instantOf(day + minutesOf(calendar.end) * minuteMs, calendar.timeZone);
  return to > from ? { from, to } : undefined;
}

/** The local days from the one `instant` falls on, for at most `maxDays`. */
function* daysFrom(calendar: BusinessCalendar, instant: number): Generator<number> {
  const first = dayOf(wallClock(instant, calendar.timeZone));
  for (let i = 0; i < maxDays; i++) yield first + i * dayMs;
}

/**
 * The instant at which `ms` of office time have passed since `start`. With none to add, `start` itself.
 * Throws when ten years of the calendar hold too little office time (a calendar of holidays only).
 */
export function addBusinessTime(calendar: BusinessCalendar, start: Date, ms: number): Date {
  let left = ms;
  if (left <= 0) return start;
  for (const day of daysFrom(calendar, start.getTime())) {
    const open = window(calendar, day);
    if (!open || open.to <= start.getTime()) continue;
    const from = Math.max(open.from, start.getTime());
    if (left <= open.to - from) return new Date(from + left);
    left -= open.to - from;
  }
  throw new RangeError('the calendar has too little office time to reach this due time');
}

/** How much office time lies between `from` and `to` (0 when `to` is not after `from`), in ms. */
export function businessTimeBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  let total = 0;
  const last = dayOf(wallClock(to.getTime(), calendar.timeZone));
  for (const day of daysFrom(calendar, from.getTime())) {
    if (day > last) break;
    const open = window(calendar, day);
    if (!open) continue;
    const start = Math.max(open.from, from.getTime());
    const end = Math.min(open.to, to.getTime());
    if (end > start) total += end - start;
  }
  return total;
}

/** Whether `instant` lies inside office hours (start included, end excluded). */
export function isBusinessTime(calendar: BusinessCalendar, instant: Date): boolean {
  const open = window(calendar, dayOf(wallClock(instant.getTime(), calendar.timeZone)));
  return open !== undefined && instant.getTime() >= open.from && instant.getTime() < open.to;
}

/** The local date ("YYYY-MM-DD") in the calendar's zone at `instant`. */
export const localDate = (calendar: Pick<BusinessCalendar, 'timeZone'>, instant: Date): string =>
  dateString(dayOf(wallClock(instant.getTime(), calendar.timeZone)));
