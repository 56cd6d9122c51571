import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextEventId, stampEvents } from '../../../../shared/domain/events.js';

describe('event ids', () => {
  it('always sort after the last event, whatever the clock says', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }),
        fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 1, maxLength: 50 }),
        (start, steps) => {
          let last: string | undefined;
          let now = start;
          for (const step of steps) {
            now += step;
            const id = nextEventId(last, now);
            if (last !== undefined) expect(id > last).toBe(true);
            last = id;
          }
        },
      ),
    );
  });

  it('stamp several events of one change in order, with who did it', () => {
    const at = new Date('2030-01-01T00:00:00Z');
    const events = stampEvents(
      [
        { type: 'status_changed', data: { from: 'open', to: 'resolved' } },
        { type: 'priority_changed', data: { from: 'normal', to: 'high' } },
      ],
      'T1',
      { userId: 'U1', role: 'agent', groupIds: [], name: 'Caio', email: 'c@example.com' },
      undefined,
      at,
    );
    expect(events.map((e) => e.type)).toEqual(['status_changed', 'priority_changed']);
    expect(events[1]?.id.localeCompare(events[0]?.id ?? '')).toBe(1);
    expect(events[0]).toMatchObject({
      ticketId: 'T1',
      actor: { id: 'U1', name: 'Caio', role: 'agent' },
      createdAt: at.toISOString(),
    });
  });
});
