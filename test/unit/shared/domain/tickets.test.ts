import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Principal, type Role, roles } from '../../../../shared/domain/roles.js';
import {
  CreateTicketBody,
  canSeeTicket,
  isQueued,
  ListEventsQuery,
  ListTicketsQuery,
  PatchTicketBody,
  PostMessageBody,
  planPatch,
  priorities,
  type Status,
  statusAfterMessage,
  statusChange,
  statuses,
  statusesMovedByMessage,
  type Ticket,
} from '../../../../shared/domain/tickets.js';
import { topicIds } from '../../../../shared/domain/topics.js';
import { ticketRecord } from '../tickets/ticket-record.js';

const person = (role: Role, groupIds: string[] = [], userId = 'U1'): Principal => ({
  userId,
  role,
  groupIds,
  name: 'Ana',
  email: 'ana@example.com',
});

const ticket = (overrides: Partial<Ticket> = {}): Ticket =>
  ticketRecord({ groupId: 'G1', requesterId: 'U9', topic: 'fiscal_document', ...overrides });

const status = fc.constantFrom(...statuses);
const role = fc.constantFrom(...roles);
const finished = (s: Status) => s === 'resolved' || s === 'closed';

describe('the status machine (properties)', () => {
  it('lets agents and admins move between any two statuses', () => {
    fc.assert(
      fc.property(fc.constantFrom<Role>('agent', 'admin'), status, status, (r, from, to) => {
        expect(statusChange(r, from, to).allowed).toBe(true);
      }),
    );
  });

  it('lets customers and host-platform users only close, or reopen a finished ticket to open', () => {
    fc.assert(
      fc.property(fc.constantFrom<Role>('customer', 'platform_user'), status, status, (r, from, to) => {
        const expected = to === 'closed' || (finished(from) && to === 'open');
        expect(statusChange(r, from, to).allowed).toBe(expected);
      }),
    );
  });

  it('never lets auditors change a status', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        expect(statusChange('auditor', from, to).allowed).toBe(false);
      }),
    );
  });

  it('records a reopen exactly when a resolved or closed ticket becomes active again', () => {
    fc.assert(
      fc.property(role, status, status, (r, from, to) => {
        expect(statusChange(r, from, to).reopen).toBe(finished(from) && !finished(to));
      }),
    );
  });

  it('plans one event per changed field, none for values already set, and opens a new ticket it assigns', () => {
    const patch = fc.record(
      {
        status: status,
        priority: fc.constantFrom(...priorities),
        topic: fc.constantFrom(...topicIds),
        assigneeId: fc.constantFrom(null, 'A1', 'A2'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(status, patch, (current, p) => {
        const t = ticket({ status: current, assigneeId: 'A1' });
        const plan = planPatch(person('agent'), t, p);
        if (!plan.allowed) throw new Error('agents may change anything');
        const changed = (['status', 'priority', 'topic', 'assigneeId'] as const).filter(
          (f) => p[f] !== undefined && p[f] !== (t[f] ?? null),
        );
        const opens =
          current === 'new' && p.status === undefined && typeof p.assigneeId === 'string' && p.assigneeId !== 'A1';
        expect(plan.events).toHaveLength(changed.length + (opens ? 1 : 0));
        expect(Object.keys(plan.changes).sort()).toEqual([...changed, ...(opens ? ['status'] : [])].sort());
        if (opens) expect(plan.changes.status).toBe('open');
      }),
    );
  });

  it('never lets a customer change priority, topic or assignee', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...priorities),
        fc.constantFrom(...topicIds),
        fc.constantFrom(null, 'A2'),
        (priority, topic, assigneeId) => {
          const t = ticket({ assigneeId: 'A1' });
          const customer = person('customer', ['G1']);
          for (const p of [{ priority }, { topic }, { assigneeId }]) {
            const plan = planPatch(customer, t, p);
            const changes = Object.entries(p).some(
              ([k, v]) => v !== ((t as unknown as Record<string, unknown>)[k] ?? null),
            );
            expect(plan.allowed).toBe(!changes);
          }
        },
      ),
    );
  });
});

describe('answers that move a ticket (properties)', () => {
  it("open a new ticket on an agent's reply and a ticket waiting for the customer on theirs, nothing else", () => {
    fc.assert(
      fc.property(role, status, (r, from) => {
        const staffOpens = (r === 'agent' || r === 'admin') && from === 'new';
        const customerReopens = (r === 'customer' || r === 'platform_user') && from === 'pending_customer';
        expect(statusAfterMessage(r, from)).toBe(staffOpens || customerReopens ? 'open' : undefined);
        expect(statusesMovedByMessage(r).includes(from)).toBe(staffOpens || customerReopens);
      }),
    );
  });
});

describe('a PATCH plan', () => {
  it('opens a new ticket when an agent takes it, unless the PATCH names a status; unassigning opens nothing', () => {
    const agent = person('agent');
    expect(planPatch(agent, ticket({ status: 'new' }), { assigneeId: 'A1' })).toEqual({
      allowed: true,
      changes: { assigneeId: 'A1', status: 'open' },
      events: [
        { type: 'assigned', data: { from: null, to: 'A1' } },
        { type: 'status_changed', data: { from: 'new', to: 'open' } },
      ],
    });
    expect(planPatch(agent, ticket({ status: 'new' }), { assigneeId: 'A1', status: 'pending_customer' })).toMatchObject(
      { changes: { assigneeId: 'A1', status: 'pending_customer' } },
    );
    expect(planPatch(agent, ticket({ status: 'new', assigneeId: 'A1' }), { assigneeId: null })).toMatchObject({
      changes: { assigneeId: null },
      events: [{ type: 'assigned' }],
    });
    expect(planPatch(agent, ticket({ status: 'pending_customer' }), { assigneeId: 'A1' })).toMatchObject({
      changes: { assigneeId: 'A1' },
      events: [{ type: 'assigned' }],
    });
  });

  it('records a customer reopening a resolved ticket as status_changed with reopen', () => {
    const plan = planPatch(person('customer', ['G1']), ticket({ status: 'resolved' }), { status: 'open' });
    expect(plan).toEqual({
      allowed: true,
      changes: { status: 'open' },
      events: [{ type: 'status_changed', data: { from: 'resolved', to: 'open', reopen: true } }],
    });
  });

  it('refuses a customer moving an open ticket to pending_customer, naming the field', () => {
    expect(planPatch(person('customer', ['G1']), ticket(), { status: 'pending_customer' })).toEqual({
      allowed: false,
      field: 'status',
    });
  });

  it('records assignment and unassignment with who it was before', () => {
    const agent = person('agent');
    expect(planPatch(agent, ticket(), { assigneeId: 'A1' })).toMatchObject({
      events: [{ type: 'assigned', data: { from: null, to: 'A1' } }],
    });
    expect(planPatch(agent, ticket({ assigneeId: 'A1' }), { assigneeId: null })).toMatchObject({
      changes: { assigneeId: null },
      events: [{ type: 'assigned', data: { from: 'A1', to: null } }],
    });
  });
});

describe('who sees a ticket', () => {
  const t = ticket({ groupId: 'G1', requesterId: 'U9' });

  it('staff see every ticket', () => {
    for (const r of ['agent', 'admin', 'auditor'] as const) expect(canSeeTicket(person(r), t)).toBe(true);
  });

  it("customers see their groups' tickets and their own outside any group, not another group's", () => {
    expect(canSeeTicket(person('customer', ['G1']), t)).toBe(true);
    expect(canSeeTicket(person('customer', ['G2']), t)).toBe(false);
    expect(canSeeTicket(person('customer', ['G2'], 'U9'), ticket({ groupId: undefined }))).toBe(true);
  });

  it("whoever opened a group's ticket loses it on leaving the group: the ticket stays with the group", () => {
    expect(canSeeTicket(person('customer', ['G1'], 'U9'), t)).toBe(true);
    expect(canSeeTicket(person('customer', ['G2'], 'U9'), t)).toBe(false);
  });

  it('host-platform users see only the tickets they opened, whatever groups they claim', () => {
    const own = ticket({ groupId: undefined });
    expect(canSeeTicket(person('platform_user', ['G1']), t)).toBe(false);
    expect(canSeeTicket(person('platform_user', [], 'U9'), own)).toBe(true);
  });
});

describe('the chat queue', () => {
  it('holds unassigned chats that are new or open, nothing else', () => {
    expect(isQueued(ticket({ channel: 'chat', status: 'new' }))).toBe(true);
    expect(isQueued(ticket({ channel: 'chat', status: 'open' }))).toBe(true);
    expect(isQueued(ticket({ channel: 'chat', status: 'pending_customer' }))).toBe(false);
    expect(isQueued(ticket({ channel: 'chat', status: 'new', assigneeId: 'A1' }))).toBe(false);
    expect(isQueued(ticket({ channel: 'portal', status: 'new' }))).toBe(false);
  });
});

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('ticket input', () => {
  const valid = { groupId: 'G1', topic: 'billing', subject: 'Boleto', description: 'Não chegou' };

  it('accepts a minimal ticket and emoji and RTL text as they are', () => {
    const body = { ...valid, subject: 'Falha 😀 שלום مرحبا' };
    expect(CreateTicketBody.parse(body).subject).toBe('Falha 😀 שלום مرحبا');
  });

  it('refuses unknown topics and priorities, wrong types and unknown fields', () => {
    const result = CreateTicketBody.safeParse({ ...valid, topic: 'weather', priority: 'asap', subject: 42, extra: 1 });
    expect(issuesOf(result).map((i) => i.split(':')[0])).toEqual(
      expect.arrayContaining(['topic', 'priority', 'subject', '']),
    );
  });

  it('refuses empty and whitespace-only texts and messages over 10 000 characters', () => {
    expect(PostMessageBody.safeParse({ body: '' }).success).toBe(false);
    expect(PostMessageBody.safeParse({ body: '   \n ' }).success).toBe(false);
    expect(PostMessageBody.safeParse({ body: 'x'.repeat(10_001) }).success).toBe(false);
    expect(PostMessageBody.safeParse({ body: 'x'.repeat(10_000) }).success).toBe(true);
    // Counted in characters: 10 000 emoji are 20 000 UTF-16 units and still fit.
    expect(PostMessageBody.safeParse({ body: '😀'.repeat(10_000) }).success).toBe(true);
  });

  it('refuses a documentRef url that is not http(s), and duplicate or malformed attachment ids', () => {
    expect(
      CreateTicketBody.safeParse({ ...valid, documentRef: { type: 'nfe', id: '1', url: 'javascript:alert(1)' } })
        .success,
    ).toBe(false);
    expect(CreateTicketBody.safeParse({ ...valid, attachmentIds: ['nope'] }).success).toBe(false);
    const id = '01J00000000000000000000000';
    expect(CreateTicketBody.safeParse({ ...valid, attachmentIds: [id, id] }).success).toBe(false);
  });

  it('refuses an empty PATCH and an unknown status', () => {
    expect(PatchTicketBody.safeParse({}).success).toBe(false);
    expect(PatchTicketBody.safeParse({ status: 'done' }).success).toBe(false);
    expect(PatchTicketBody.safeParse({ assigneeId: null }).success).toBe(true);
  });

  it('takes list limits from 1 to 100, 25 by default', () => {
    expect(ListTicketsQuery.parse({}).limit).toBe(25);
    expect(ListTicketsQuery.parse({ limit: '100' }).limit).toBe(100);
    for (const limit of ['0', '101', '-1', '2.5', 'ten', '']) {
      expect(ListTicketsQuery.safeParse({ limit }).success, limit).toBe(false);
    }
    expect(ListEventsQuery.safeParse({ after: 'not-an-id' }).success).toBe(false);
    expect(ListTicketsQuery.parse({ q: '  ' }).q).toBeUndefined();
    expect(ListTicketsQuery.safeParse({ q: 'x'.repeat(201) }).success).toBe(false);
  });
});
