import { describe, expect, it } from 'vitest';
import { defaultSlaPolicy, normalizePolicy, SlaPolicyBody } from '../../../../../shared/domain/sla/policy.js';
import { dueAt, missedTargets, nextCheck, planSla, slaView } from '../../../../../shared/domain/sla/ticket-sla.js';
import { parse } from '../../../../../shared/validation.js';

const policy = defaultSlaPolicy(new Date('2026-12-04T12:00:00Z'));
// Friday 4 December 2026, 17:30 in São Paulo (UTC-3, no daylight saving since 2019).
const friday = '2026-12-04T20:30:00.000Z';
const at = (iso: string) => new Date(iso);

describe("a ticket's SLA clock", () => {
  it('gives an urgent ticket opened Friday 17:30 its first response due Monday 08:30 and resolution Monday 15:30', () => {
    const sla = planSla(policy, { createdAt: friday, priority: 'urgent', status: 'new' }, at(friday));
    expect(sla).toEqual({
      firstResponseDueAt: '2026-12-07T11:30:00.000Z',
      resolutionDueAt: '2026-12-07T18:30:00.000Z',
      breaches: [],
    });
    expect(nextCheck(sla)).toBe(sla.firstResponseDueAt);
    expect(dueAt(sla)).toBe(sla.firstResponseDueAt);
  });

  it('takes the first staff answer as the first response, and then watches only the resolution', () => {
    const opened = planSla(policy, { createdAt: friday, priority: 'urgent', status: 'new' }, at(friday));
    const answered = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'open', sla: opened },
      at('2026-12-07T11:00:00.000Z'),
      true,
    );
    expect(answered.firstRespondedAt).toBe('2026-12-07T11:00:00.000Z');
    expect(nextCheck(answered)).toBe(answered.resolutionDueAt);
    const later = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'open', sla: answered },
      at('2026-12-07T12:00:00.000Z'),
      true,
    );
    expect(later.firstRespondedAt).toBe('2026-12-07T11:00:00.000Z');
  });

  it('moves the due times with the priority', () => {
    const opened = planSla(policy, { createdAt: friday, priority: 'urgent', status: 'new' }, at(friday));
    const low = planSla(policy, { createdAt: friday, priority: 'low', status: 'new', sla: opened }, at(friday));
    // 1 440 business minutes = 2.4 office days of 10 h: 30 min Friday, then Monday, Tuesday, Wednesday 08:00 + 3h30.
    expect(low.firstResponseDueAt).toBe('2026-12-09T14:30:00.000Z');
  });

  it('stands still while waiting for the customer, and moves the due times by the office time it stood', () => {
    const opened = planSla(policy, { createdAt: friday, priority: 'urgent', status: 'new' }, at(friday));
    const waiting = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'pending_customer', sla: opened },
      at('2026-12-07T11:15:00.000Z'),
    );
    expect(waiting.pausedSince).toBe('2026-12-07T11:15:00.000Z');
    expect(nextCheck(waiting)).toBeUndefined();
    expect(dueAt(waiting)).toBeUndefined();
    expect(missedTargets(waiting, at('2026-12-20T00:00:00.000Z'))).toEqual([]);
    // Back two office hours later (Monday 10:15 local): everything is due two hours later.
    const back = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'open', sla: waiting },
      at('2026-12-07T13:15:00.000Z'),
    );
    expect(back.pausedSince).toBeUndefined();
    expect(back.firstResponseDueAt).toBe('2026-12-07T13:30:00.000Z');
    expect(back.resolutionDueAt).toBe('2026-12-07T20:30:00.000Z');
    expect(slaView(back)).not.toHaveProperty('pausedMs');
  });

  it('owes a breach for a first response due and not given, and for one given late', () => {
    const opened = planSla(policy, { createdAt: friday, priority: 'urgent', status: 'new' }, at(friday));
    expect(missedTargets(opened, at('2026-12-07T11:29:00.000Z'))).toEqual([]);
    expect(missedTargets(opened, at('2026-12-07T11:31:00.000Z'))).toEqual(['first_response']);
    const late = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'open', sla: opened },
      at('2026-12-07T11:45:00.000Z'),
      true,
    );
    expect(nextCheck(late)).toBe(late.firstResponseDueAt);
    expect(missedTargets(late, at('2026-12-07T11:46:00.000Z'))).toEqual(['first_response']);
    const recorded = { ...late, breaches: ['first_response' as const] };
    expect(nextCheck(recorded)).toBe(late.resolutionDueAt);
    expect(dueAt(recorded)).toBe(late.resolutionDueAt);
    expect(missedTargets(recorded, at('2026-12-09T00:00:00.000Z'))).toEqual(['resolution']);
  });

  it('counts a ticket resolved in time as met, and one resolved late as missed', () => {
    const opened = planSla(policy, { createdAt: friday, priority: 'urgent', status: 'new' }, at(friday));
    const answered = { ...opened, firstRespondedAt: '2026-12-07T11:00:00.000Z' };
    const onTime = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'resolved', sla: answered },
      at('2026-12-07T12:00:00.000Z'),
    );
    expect(nextCheck(onTime)).toBeUndefined();
    expect(missedTargets(onTime, at('2027-01-01T00:00:00.000Z'))).toEqual([]);
    const late = planSla(
      policy,
      { createdAt: friday, priority: 'urgent', status: 'resolved', sla: answered },
      at('2026-12-08T12:00:00.000Z'),
    );
    expect(missedTargets(late, at('2026-12-08T12:00:01.000Z'))).toEqual(['resolution']);
  });
});

describe('the SLA policy', () => {
  it("defaults to São Paulo's office hours and Brazil's holidays of this year and the next", () => {
    expect(policy.calendar).toMatchObject({
      timeZone: 'America/Sao_Paulo',
      days: [1, 2, 3, 4, 5],
      start: '08:00',
      end: '18:00',
    });
    expect(policy.calendar.holidays).toContain('2026-04-03');
    expect(policy.calendar.holidays).toContain('2027-03-26');
    expect(policy.targets.urgent).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 480 });
    expect(policy.targets.low).toEqual({ firstResponseMinutes: 1440, resolutionMinutes: 7200 });
  });

  it('names the field that is wrong', () => {
    const wrong = (change: (body: ReturnType<typeof structuredClone<typeof policy>>) => void) => {
      const body = structuredClone(policy);
      change(body);
      try {
        parse(SlaPolicyBody, body);
      } catch (error) {
        return (error as { details: Array<{ path: string }> }).details.map((d) => d.path);
      }
      return [];
    };
    expect(
      wrong((b) => {
        b.calendar.timeZone = 'America/Atlantis';
      }),
    ).toEqual(['calendar.timeZone']);
    expect(
      wrong((b) => {
        b.calendar.end = '07:00';
      }),
    ).toEqual(['calendar.end']);
    expect(
      wrong((b) => {
        b.calendar.holidays = ['2026-02-30'];
      }),
    ).toEqual(['calendar.holidays.0']);
    expect(
      wrong((b) => {
        b.calendar.holidays = ['natal'];
      }),
    ).toEqual(['calendar.holidays.0']);
    expect(
      wrong((b) => {
        b.calendar.days = [1, 8];
      }),
    ).toEqual(['calendar.days.1']);
    expect(
      wrong((b) => {
        b.targets.urgent.firstResponseMinutes = 0;
      }),
    ).toEqual(['targets.urgent.firstResponseMinutes']);
    expect(
      wrong((b) => {
        // Sundays 08:00–09:00: ten years hold about 500 office hours, not 40 000 minutes.
        b.calendar = { ...b.calendar, days: [7], start: '08:00', end: '09:00' };
        b.targets.low.resolutionMinutes = 40_000;
      }),
    ).toEqual(['targets.low.resolutionMinutes']);
    expect(wrong(() => {})).toEqual([]);
    expect(
      normalizePolicy(parse(SlaPolicyBody, { ...policy, calendar: { ...policy.calendar, days: [5, 1] } })).calendar
        .days,
    ).toEqual([1, 5]);
  });
});
