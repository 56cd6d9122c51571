import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../../../../../web/src/lib/placeholders.js';
import { dueBadge, shortDuration } from '../../../../../web/src/lib/sla.js';

const createdAt = '2026-12-07T11:00:00.000Z';
const ticket = (sla: object, status = 'open' as const) => ({ createdAt, status, sla: { breaches: [], ...sla } });
const at = (iso: string) => new Date(iso);

describe('the due-time badge', () => {
  const open = ticket({ firstResponseDueAt: '2026-12-07T12:00:00.000Z', resolutionDueAt: '2026-12-07T19:00:00.000Z' });

  it('counts down to the first response, green with time to spare', () => {
    expect(dueBadge(open, at('2026-12-07T11:10:00.000Z'))).toEqual({
      target: 'first_response',
      dueAt: '2026-12-07T12:00:00.000Z',
      state: 'ok',
      leftMs: 50 * 60_000,
    });
  });

  it('turns amber under a quarter of the time left, and red once it has passed or was recorded as missed', () => {
    expect(dueBadge(open, at('2026-12-07T11:46:00.000Z'))?.state).toBe('warning');
    expect(dueBadge(open, at('2026-12-07T12:00:00.000Z'))?.state).toBe('breached');
    const recorded = ticket({ ...open.sla, breaches: ['first_response'] });
    expect(dueBadge(recorded, at('2026-12-07T11:10:00.000Z'))?.state).toBe('breached');
  });

  it('moves on to the resolution after the first response, and says nothing while the clock stands still', () => {
    const answered = ticket({ ...open.sla, firstRespondedAt: '2026-12-07T11:20:00.000Z' });
    expect(dueBadge(answered, at('2026-12-07T11:30:00.000Z'))).toMatchObject({ target: 'resolution', state: 'ok' });
    expect(dueBadge(ticket({ ...open.sla, pausedSince: createdAt }), at(createdAt))).toBeUndefined();
    expect(dueBadge(ticket(open.sla, 'resolved' as never), at(createdAt))).toBeUndefined();
    expect(dueBadge({ createdAt, status: 'open' }, at(createdAt))).toBeUndefined();
  });

  it('says how long briefly', () => {
    expect(shortDuration(45 * 60_000)).toBe('45 min');
    expect(shortDuration(125 * 60_000)).toBe('2 h 05 min');
    expect(shortDuration(-(3 * 24 * 60 + 4 * 60) * 60_000)).toBe('3 d 4 h');
  });
});

describe('canned reply placeholders', () => {
  it('are filled in, and unknown ones left as written', () => {
    expect(
      fillPlaceholders('Olá, {{requester.name}}! Chamado #{{ ticket.number }}. — {{agent.name}} {{other}}', {
        requesterName: 'Ana',
        ticketNumber: 1042,
        agentName: 'Bruno',
      }),
    ).toBe('Olá, Ana! Chamado #1042. — Bruno {{other}}');
  });

  it('insert values as text, never as markup (the console renders text)', () => {
    expect(
      fillPlaceholders('{{requester.name}}', { requesterName: '<script>x</script>', ticketNumber: 1, agentName: '' }),
    ).toBe('<script>x</script>');
  });
});
