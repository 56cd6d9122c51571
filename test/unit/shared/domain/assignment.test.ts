import { describe, expect, it } from 'vitest';
import {
  awaitsAssignment,
  type Candidate,
  holderOf,
  pickOrder,
  presenceOf,
} from '../../../../shared/domain/assignment.js';

const agent = (userId: string, open: number, more: Partial<Candidate> = {}): Candidate => ({
  userId,
  presence: 'online',
  open,
  ...more,
});

describe('round-robin picking', () => {
  it('prefers the online agent with the fewest open tickets', () => {
    expect(pickOrder([agent('a', 3), agent('b', 1), agent('c', 2)], 5)).toEqual(['b', 'c', 'a']);
  });

  it('leaves out agents away, offline or at the cap', () => {
    const order = pickOrder(
      [
        agent('away', 0, { presence: 'away' }),
        agent('off', 0, { presence: 'offline' }),
        agent('full', 2),
        agent('ok', 1),
      ],
      2,
    );
    expect(order).toEqual(['ok']);
  });

  it('breaks a tie by the longest idle, someone never given a ticket first, then by id', () => {
    const order = pickOrder(
      [
        agent('recent', 1, { lastAssignedAt: '2026-12-04T12:00:00.000Z' }),
        agent('earlier', 1, { lastAssignedAt: '2026-12-04T09:00:00.000Z' }),
        agent('z-never', 1),
        agent('a-never', 1),
      ],
      5,
    );
    expect(order).toEqual(['a-never', 'z-never', 'earlier', 'recent']);
  });

  it('has nobody to offer when everyone is busy', () => {
    expect(pickOrder([agent('a', 5), agent('b', 7)], 5)).toEqual([]);
    expect(pickOrder([], 5)).toEqual([]);
  });
});

describe('presence', () => {
  it('is offline without a connection, whatever was chosen, and online by default with one', () => {
    expect(presenceOf('online', false)).toBe('offline');
    expect(presenceOf('away', false)).toBe('offline');
    expect(presenceOf(undefined, true)).toBe('online');
    expect(presenceOf('away', true)).toBe('away');
  });
});

describe('which tickets count against an agent', () => {
  it('counts an assigned ticket until it is resolved or closed', () => {
    for (const status of ['new', 'open', 'pending_customer'] as const) {
      expect(holderOf({ assigneeId: 'a', status })).toBe('a');
    }
    expect(holderOf({ assigneeId: 'a', status: 'resolved' })).toBeUndefined();
    expect(holderOf({ assigneeId: 'a', status: 'closed' })).toBeUndefined();
    expect(holderOf({ status: 'open' })).toBeUndefined();
  });

  it('hands out only unassigned tickets still to be answered', () => {
    expect(awaitsAssignment({ status: 'new' })).toBe(true);
    expect(awaitsAssignment({ status: 'open' })).toBe(true);
    expect(awaitsAssignment({ status: 'pending_customer' })).toBe(false);
    expect(awaitsAssignment({ status: 'new', assigneeId: 'a' })).toBe(false);
  });
});
