// The SLA clock from outside: the policy staff read and admins set, the due times a ticket carries, the
// list by due time, and the job that records a missed target on the timeline (for staff alone).
import { describe, expect, it } from 'vitest';
import { planSla } from '../../../shared/domain/sla/ticket-sla.js';
import { eventually } from '../../support/eventually.js';
import { api, type Json } from '../../support/http.js';
import { readAll, timeline } from '../../support/pages.js';
import { timePassesUntilDue } from '../../support/sla.js';
import { world } from '../../support/world.js';
import { connectAs, expectReply } from '../chat/support.js';
import { openTicket } from '../tickets/support.js';

describe('GET and PUT /sla-policy', () => {
  it("answers staff with the default (São Paulo office hours, Brazil's holidays, the contract's targets)", async () => {
    const res = await api.get('/sla-policy', { token: (await world.auditor()).token });
    expect(res.status).toBe(200);
    expect(res.body.calendar).toMatchObject({ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' });
    expect(res.body.targets).toBeDefined();
    const year = new Date().getUTCFullYear();
    expect(res.body.calendar.holidays).toEqual(expect.arrayContaining([`${year}-09-07`, `${year + 1}-12-25`]));
    expect((await api.get('/sla-policy', { token: (await world.customer()).token })).status).toBe(403);
  });

  it('is set by admins only, and refuses a bad calendar with 400 naming the field, changing nothing', async () => {
    const admin = await world.admin();
    const policy = (await api.get('/sla-policy', { token: admin.token })).body;
    const put = (body: Json, token = admin.token) => api.put('/sla-policy', { token, body });
    const cases: Array<[string, Json]> = [
      ['calendar.timeZone', { ...policy, calendar: { ...policy.calendar, timeZone: 'America/Atlantis' } }],
      ['calendar.end', { ...policy, calendar: { ...policy.calendar, start: '18:00', end: '08:00' } }],
      ['calendar.holidays.1', { ...policy, calendar: { ...policy.calendar, holidays: ['2026-12-25', 'Natal'] } }],
    ];
    for (const [field, body] of cases) {
      const res = await put(body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: Json) => d.path)).toEqual([field]);
    }
    expect((await api.get('/sla-policy', { token: admin.token })).body).toEqual(policy);
    expect((await put(policy, (await world.agent()).token)).status).toBe(403);

    const saved = await put(policy);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(policy);
  });
});

describe('a ticket’s due times', () => {
  it('are the policy’s, from the moment it was opened; a staff answer is the first response, a note is not', async () => {
    const ana = await world.customer();
    const agent = await world.agent();
    const ticket = await openTicket(ana, { priority: 'urgent' });
    const policy = (await api.get('/sla-policy', { token: agent.token })).body;
    const expected = planSla(policy, ticket, new Date(ticket.createdAt));
    expect(ticket.sla).toEqual({
      firstResponseDueAt: expected.firstResponseDueAt,
      resolutionDueAt: expected.resolutionDueAt,
      breaches: [],
    });

    await api.post(`/tickets/${ticket.id}/notes`, { token: agent.token, body: { body: 'vou olhar' } });
    expect(
      (await api.get(`/tickets/${ticket.id}`, { token: agent.token })).body.ticket.sla.firstRespondedAt,
    ).toBeUndefined();
    const reply = await api.post(`/tickets/${ticket.id}/messages`, { token: agent.token, body: { body: 'Olá!' } });
    const after = (await api.get(`/tickets/${ticket.id}`, { token: agent.token })).body.ticket;
    expect(after.sla.firstRespondedAt).toBe(reply.body.event.createdAt);
  });

  it('stop while the ticket waits for the customer, and move with the priority', async () => {
    const ana = await world.customer();
    const agent = await world.agent();
    const ticket = await openTicket(ana, { priority: 'low' });
    const patch = async (body: Json) => {
      const current = (await api.get(`/tickets/${ticket.id}`, { token: agent.token })).body.ticket;
      const res = await api.patch(`/tickets/${ticket.id}`, {
        token: agent.token,
        headers: { 'if-match': String(current.version) },
        body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.ticket;
    };
    const urgent = await patch({ priority: 'urgent' });
    expect(urgent.sla.firstResponseDueAt < ticket.sla.firstResponseDueAt).toBe(true);
    const waiting = await patch({ status: 'pending_customer' });
    expect(waiting.sla.pausedSince).toBe(waiting.updatedAt);
    const byDue = await readAll('/tickets', agent.token, { sort: 'due' });
    expect(byDue.map((t) => t.id)).not.toContain(ticket.id);
  });
});

describe('GET /tickets?sort=due', () => {
  it('lists open tickets for staff, the earliest due first, and is refused to customers', async () => {
    const ana = await world.customer();
    const agent = await world.agent();
    const low = await openTicket(ana, { priority: 'low' });
    const urgent = await openTicket(ana, { priority: 'urgent' });

    const ids = (await readAll('/tickets', agent.token, { sort: 'due' })).map((t) => t.id);
    expect(ids.indexOf(urgent.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(low.id));
    const mine = await readAll('/tickets', agent.token, { sort: 'due', groupId: ana.group.id });
    expect(mine.map((t) => t.id)).toEqual([urgent.id, low.id]);
    expect((await api.get('/tickets?sort=due', { token: ana.token })).status).toBe(403);
    expect((await api.get('/tickets?sort=soon', { token: agent.token })).status).toBe(400);
  });
});

describe('a missed target', () => {
  it('an urgent ticket: note and reply reach staff, only the reply the customer; once due, sla_breached appears for staff', async () => {
    const ana = await world.customer();
    const agent = await world.agent();
    const ticket = await openTicket(ana, { priority: 'urgent', subject: 'Sistema fora do ar' });
    const customer = await connectAs(ana);
    await expectReply(customer, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });

    const note = await api.post(`/tickets/${ticket.id}/notes`, {
      token: agent.token,
      body: { body: 'Instabilidade conhecida, ver incidente 12' },
    });
    const reply = await api.post(`/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: 'Estamos verificando, Ana.' },
    });
    expect([note.status, reply.status]).toEqual([201, 201]);
    await customer.next((f) => f.type === 'event' && f.event.id === reply.body.event.id);
    expect(customer.pushedEvents(ticket.id).map((e) => e.type)).not.toContain('note');
    expect((await timeline(ana, ticket.id)).map((e) => e.type)).toEqual(['created', 'message', 'status_changed']);

    await timePassesUntilDue(ticket.id, 'resolutionDueAt');

    const breach = await eventually(
      async () => (await timeline(agent, ticket.id)).find((e) => e.type === 'sla_breached'),
      'the SLA job records the missed resolution',
    );
    expect(breach).toMatchObject({ data: { target: 'resolution' }, actor: { name: 'SLA' } });
    const stored = (await api.get(`/tickets/${ticket.id}`, { token: agent.token })).body.ticket;
    expect(stored.sla.breaches).toEqual(['resolution']);
    expect((await timeline(ana, ticket.id)).map((e) => e.type)).not.toContain('sla_breached');
    expect(customer.pushedEvents(ticket.id).map((e) => e.type)).not.toContain('sla_breached');
    // Recorded once: later runs of the job find nothing more to record.
    const again = await api.get(`/tickets/${ticket.id}/events`, { token: agent.token });
    expect(again.body.items.filter((e: Json) => e.type === 'sla_breached')).toHaveLength(1);
  });
});
