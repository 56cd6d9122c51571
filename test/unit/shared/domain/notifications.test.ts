import { describe, expect, it } from 'vitest';
import { owedEvents, recipientsOf } from '../../../../shared/domain/notifications.js';
import { receivesEmail } from '../../../../shared/domain/users.js';

const ticket = { requesterId: 'ana', assigneeId: 'caio', followerIds: ['bia', 'dora'] };
const agent = { id: 'caio', role: 'agent' as const };
const admin = { id: 'eva', role: 'admin' as const };
const customer = { id: 'ana', role: 'customer' as const };
const message = (actor: { id: string; role: never | string }, id = 'E1') => ({
  id,
  type: 'message',
  actor: actor as typeof agent,
  data: { body: 'oi', attachments: [] },
});
const status = (to: string, actor = agent, id = 'E2') => ({
  id,
  type: 'status_changed',
  actor,
  data: { from: 'open', to },
});

describe('who is e-mailed about an event', () => {
  it("tells the requester and the followers of a staff member's message, never its author", () => {
    expect(recipientsOf(ticket, message(agent))).toEqual(['ana', 'bia', 'dora']);
    expect(recipientsOf({ ...ticket, followerIds: ['caio', 'bia'] }, message(agent))).toEqual(['ana', 'bia']);
    expect(recipientsOf(ticket, message(admin))).toEqual(['ana', 'bia', 'dora']);
  });

  it("tells the assignee of a customer's message, and nobody on an unassigned ticket", () => {
    expect(recipientsOf(ticket, message(customer))).toEqual(['caio']);
    expect(recipientsOf({ ...ticket, assigneeId: undefined }, message(customer))).toEqual([]);
    expect(recipientsOf(ticket, message({ id: 'bia', role: 'customer' }))).toEqual(['caio']);
    expect(recipientsOf(ticket, message({ id: 'pat', role: 'platform_user' }))).toEqual(['caio']);
  });

  it('tells of a staff move to pending_customer or resolved, and of no other status', () => {
    expect(recipientsOf(ticket, status('pending_customer'))).toEqual(['ana', 'bia', 'dora']);
    expect(recipientsOf(ticket, status('resolved'))).toEqual(['ana', 'bia', 'dora']);
    for (const to of ['open', 'closed', 'new']) expect(recipientsOf(ticket, status(to))).toEqual([]);
    // A customer closing or reopening their own ticket tells nobody.
    expect(recipientsOf(ticket, status('resolved', customer as never))).toEqual([]);
  });

  it('tells nobody of an internal note, or of any other event type', () => {
    const note = { type: 'note', actor: agent, data: { body: 'só para a equipe', attachments: [] } };
    expect(recipientsOf(ticket, note)).toEqual([]);
    for (const type of [
      'created',
      'assigned',
      'priority_changed',
      'follower_added',
      'attachment_added',
      'sla_breached',
    ]) {
      expect(recipientsOf(ticket, { type, actor: agent, data: {} })).toEqual([]);
    }
    // The requester's rating of an assigned ticket is for the reports, not an answer the assignee is told of.
    expect(recipientsOf(ticket, { type: 'satisfaction', actor: customer, data: { score: 2 } })).toEqual([]);
  });
});

describe('what a batch still owes', () => {
  it('leaves out what was seen live, what the person was not told, and notes', () => {
    const events = [
      message(agent, 'E1'),
      { id: 'E2', type: 'note', actor: agent, data: { body: 'interna', attachments: [] } },
      message(agent, 'E3'),
      message(customer, 'E4'),
      status('resolved', agent, 'E5'),
    ];
    expect(owedEvents(ticket, 'ana', events, new Set(['E3'])).map((e) => e.id)).toEqual(['E1', 'E5']);
    // Someone who stopped following is owed nothing more.
    expect(owedEvents({ ...ticket, followerIds: [] }, 'bia', events, new Set())).toEqual([]);
  });
});

describe('who receives e-mail at all', () => {
  it('is everyone active who has not turned e-mail notifications off', () => {
    expect(receivesEmail({})).toBe(true);
    expect(receivesEmail({ status: 'active', notifications: { email: true } })).toBe(true);
    expect(receivesEmail({ notifications: { email: false } })).toBe(false);
    expect(receivesEmail({ status: 'disabled' })).toBe(false);
  });
});
