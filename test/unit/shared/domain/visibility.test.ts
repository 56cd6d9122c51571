import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../../../shared/domain/events.js';
import { roles } from '../../../../shared/domain/roles.js';
import { audienceOf, canSeeEvent, visibleEvents } from '../../../../shared/domain/visibility.js';

describe('who sees an event', () => {
  it('shows notes and SLA breaches to staff alone, and every other event to whoever sees the ticket', () => {
    for (const type of eventTypes) {
      const staffOnly = type === 'note' || type === 'sla_breached';
      expect(audienceOf({ type }), type).toBe(staffOnly ? 'staff' : 'everyone');
      for (const role of roles) {
        const staff = role === 'agent' || role === 'admin' || role === 'auditor';
        expect(canSeeEvent(role, { type }), `${role} ${type}`).toBe(!staffOnly || staff);
      }
    }
  });

  it('shows a subscriber whose role is unknown only what everyone sees', () => {
    expect(canSeeEvent(undefined, { type: 'message' })).toBe(true);
    expect(canSeeEvent(undefined, { type: 'note' })).toBe(false);
  });

  it('filters a timeline in order', () => {
    const events = [
      { id: '1', type: 'created' as const },
      { id: '2', type: 'note' as const },
      { id: '3', type: 'message' as const },
    ];
    expect(visibleEvents('customer', events).map((e) => e.id)).toEqual(['1', '3']);
    expect(visibleEvents('auditor', events).map((e) => e.id)).toEqual(['1', '2', '3']);
  });
});
