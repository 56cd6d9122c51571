// GET /reports/summary: the figures of tickets opened, answered, resolved and rated over several days,
// checked against what their timelines say, computed here independently (counts exact, percentiles within
// one histogram bucket, README "Reports"). Past days are replayed through the tickets service with an
// injected clock, against the stack's DynamoDB Local; today's are made over HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketBounds } from '../../../shared/domain/reports.js';
import { updateTicket } from '../../../shared/tickets/changes.js';
import { createTicket } from '../../../shared/tickets/create.js';
import { postMessage } from '../../../shared/tickets/messages.js';
import { rateTicket } from '../../../shared/tickets/satisfaction.js';
import { api, type Json } from '../../support/http.js';
import { timeline } from '../../support/pages.js';
import { type Person, world } from '../../support/world.js';
import { openTicket } from '../tickets/support.js';

const minute = 60_000;
// March 2011: São Paulo was at UTC−3 (its summer time had ended on 20 February).
const saoPauloDay = (at: string) => new Date(Date.parse(at) - 180 * minute).toISOString().slice(0, 10);

interface Figures {
  created: number;
  resolved: number;
  firstResponse: number[];
  resolution: number[];
  scores: number[];
  /** Targets met and missed, first response and resolution. */
  sla: { frMet: number; frMissed: number; rsMet: number; rsMissed: number };
}
const empty = (): Figures => ({
  created: 0,
  resolved: 0,
  firstResponse: [],
  resolution: [],
  scores: [],
  sla: { frMet: 0, frMissed: 0, rsMet: 0, rsMissed: 0 },
});
type By = 'day' | 'topic' | 'group' | 'agent';

/**
 * Whether an answer at `at` met the ticket's target: missed when the ticket records a breach of it or `at` is
 * past its due time (`ticket.sla` as the API shows it); undefined without a due time.
 */
function outcome(sla: Json | undefined, target: 'first_response' | 'resolution', at: string) {
  const due = target === 'first_response' ? sla?.firstResponseDueAt : sla?.resolutionDueAt;
  if (due === undefined) return undefined;
  return sla.breaches.includes(target) || at > due ? 'Missed' : 'Met';
}

/** The figures of `by` computed from the timelines and the tickets' SLA clocks alone. */
function expectedFrom(timelines: Json[][], slas: (Json | undefined)[], by: By): Map<string | null, Figures> {
  const rows = new Map<string | null, Figures>();
  const at = (key: string | null) => {
    const row = rows.get(key) ?? empty();
    rows.set(key, row);
    return row;
  };
  for (const [index, events] of timelines.entries()) {
    const sla = slas[index];
    const created = events[0];
    const { topic } = created.data;
    const group = created.data.groupId ?? null;
    const keyOf = (when: string, agent: string | null) =>
      by === 'day' ? saoPauloDay(when) : by === 'topic' ? topic : by === 'group' ? group : agent;
    // The assignee as a change left it (one change may assign and resolve: its events share a time).
    const assigneeAt = (when: string) =>
      events.filter((e) => e.type === 'assigned' && e.createdAt <= when).at(-1)?.data.to ?? null;
    let answered = false;
    let rating: { key: string | null; score: number } | undefined;
    const since = (e: Json) => (Date.parse(e.createdAt) - Date.parse(created.createdAt)) / minute;
    at(keyOf(created.createdAt, null)).created++;
    for (const e of events) {
      if (e.type === 'message' && !answered && ['agent', 'admin'].includes(e.actor.role)) {
        answered = true;
        const row = at(keyOf(e.createdAt, e.actor.id));
        row.firstResponse.push(since(e));
        const met = outcome(sla, 'first_response', e.createdAt);
        if (met) row.sla[`fr${met}`]++;
      }
      if (e.type === 'status_changed' && e.data.to === 'resolved') {
        const row = at(keyOf(e.createdAt, assigneeAt(e.createdAt)));
        row.resolved++;
        row.resolution.push(since(e));
        const met = outcome(sla, 'resolution', e.createdAt);
        if (met) row.sla[`rs${met}`]++;
      }
      if (e.type === 'satisfaction') rating = { key: keyOf(e.createdAt, assigneeAt(e.createdAt)), score: e.data.score };
    }
    if (rating) at(rating.key).scores.push(rating.score);
  }
  return rows;
}

const nearestRank = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * values.length)) - 1] as number;
/** The upper bound of the histogram bucket `minutes` falls in (README "Reports"). */
const bucketTop = (minutes: number) => bucketBounds.find((bound) => minutes < bound) ?? Number.POSITIVE_INFINITY;

function expectPercentiles(answered: Json, values: number[], label: string) {
  if (values.length === 0) {
    expect(answered, label).toEqual({ p50Minutes: null, p90Minutes: null });
    return;
  }
  for (const [field, p] of [
    ['p50Minutes', 0.5],
    ['p90Minutes', 0.9],
  ] as const) {
    const exact = nearestRank(values, p);
    expect(answered[field], `${label} ${field} (exact ${exact})`).toBeGreaterThanOrEqual(exact);
    expect(answered[field], `${label} ${field} (exact ${exact})`).toBeLessThanOrEqual(bucketTop(exact));
  }
}

function expectRowsMatch(rows: Json[], expected: Map<string | null, Figures>, by: By) {
  // By day every day of the period has a row (a quiet one is zeros); otherwise only keys with figures.
  const keys = new Set(rows.map((r) => r.key));
  if (by === 'day') for (const key of expected.keys()) expect(keys, by).toContain(key);
  else expect(keys, by).toEqual(new Set(expected.keys()));
  for (const row of rows) {
    const want = expected.get(row.key) ?? empty();
    const label = `${by}=${row.key}`;
    expect([row.created, row.resolved, row.satisfaction.responses], label).toEqual([
      want.created,
      want.resolved,
      want.scores.length,
    ]);
    const average = want.scores.length ? want.scores.reduce((a, b) => a + b, 0) / want.scores.length : null;
    expect(row.satisfaction.average, label).toBe(average === null ? null : Math.round(average * 100) / 100);
    expectPercentiles(row.firstResponse, want.firstResponse, `${label} firstResponse`);
    expectPercentiles(row.resolution, want.resolution, `${label} resolution`);
    const ratio = (met: number, missed: number) => (met + missed === 0 ? null : met / (met + missed));
    expect(row.slaMet, label).toEqual({
      firstResponse: ratio(want.sla.frMet, want.sla.frMissed),
      resolution: ratio(want.sla.rsMet, want.sla.rsMissed),
    });
  }
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const columns = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
}

describe('the summary of several days', () => {
  let admin: Person;
  let timelines: Json[][];
  let slas: (Json | undefined)[];
  const from = '2011-03-01';
  const to = '2011-03-07';

  beforeAll(async () => {
    admin = await world.admin();
    const [ana, bia] = [await world.customer(), await world.customer()];
    const [caio, duda] = [await world.agent(), await world.agent()];
    const topics = ['billing', 'usage', 'fiscal_document'] as const;
    const ids: string[] = [];
    // Twelve tickets over five days; the first one opens at 01:30 UTC, which is still 1 March in São Paulo.
    for (let i = 0; i < 12; i++) {
      const customer = i % 3 === 0 ? bia : ana;
      const agent = i % 2 === 0 ? caio : duda;
      const opened = Date.parse(`2011-03-0${2 + (i % 5)}T01:30:00.000Z`) + i * 97 * minute;
      const clockAt = (minutes: number) => () => new Date(opened + minutes * minute);
      const { ticket } = await createTicket(
        customer.principal,
        {
          groupId: customer.group.id,
          topic: topics[i % 3] ?? 'other',
          subject: `Chamado ${i}`,
          description: 'Relatório',
        },
        { clock: clockAt(0) },
      );
      ids.push(ticket.id);
      if (i === 11) continue; // never answered
      await postMessage(agent.principal, ticket.id, { body: 'Estamos vendo.' }, { clock: clockAt(3 + i * i * 11) });
      // A second answer is not a first response.
      await postMessage(agent.principal, ticket.id, { body: 'Mais um detalhe.' }, { clock: clockAt(5 + i * i * 11) });
      if (i % 4 === 3) continue; // answered, still open
      const resolvedAfter = 60 + i * 173;
      await updateTicket(
        agent.principal,
        ticket.id,
        { assigneeId: agent.principal.userId, status: 'resolved' },
        { clock: clockAt(resolvedAfter) },
      );
      if (i % 3 === 2) continue; // resolved, not rated
      await rateTicket(customer.principal, ticket.id, { score: 1 + (i % 5) }, { clock: clockAt(resolvedAfter + 30) });
      if (i === 4) {
        // Rated again the next day: only the latest rating counts, on its own day.
        await rateTicket(
          customer.principal,
          ticket.id,
          { score: 5, comment: 'Melhorou.' },
          {
            clock: clockAt(resolvedAfter + 24 * 60),
          },
        );
      }
    }
    // One reopened and resolved again counts as resolved twice.
    await updateTicket(
      caio.principal,
      ids[0] as string,
      { status: 'open' },
      { clock: () => new Date('2011-03-05T15:00:00Z') },
    );
    await updateTicket(
      caio.principal,
      ids[0] as string,
      { status: 'resolved' },
      { clock: () => new Date('2011-03-06T15:00:00Z') },
    );
    timelines = await Promise.all(ids.map((id) => timeline(admin, id)));
    // Each ticket's SLA clock as the default policy set it (due times in 2011's business hours).
    slas = await Promise.all(
      ids.map(async (id) => (await api.get(`/tickets/${id}`, { token: admin.token })).body.ticket.sla),
    );
  });

  for (const by of ['day', 'topic', 'group', 'agent'] as const) {
    it(`by ${by}: counts exact, percentiles within a bucket, as the timelines say; the CSV has the same numbers`, async () => {
      const res = await api.get(`/reports/summary?from=${from}&to=${to}&by=${by}`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ from, to, by });
      const expected = expectedFrom(timelines, slas, by);
      expectRowsMatch(res.body.rows, expected, by);
      if (by === 'day') {
        expect(res.body.rows.map((r: Json) => r.key)).toEqual([
          '2011-03-01',
          '2011-03-02',
          '2011-03-03',
          '2011-03-04',
          '2011-03-05',
          '2011-03-06',
          '2011-03-07',
        ]);
        expect(expected.get('2011-03-01')?.created).toBeGreaterThan(0);
      }

      const csv = await api.get(`/reports/summary?from=${from}&to=${to}&by=${by}`, {
        token: admin.token,
        headers: { accept: 'text/csv' },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const cell = (value: unknown) => (value === null ? '' : String(value));
      expect(parseCsv(csv.body)).toEqual(
        res.body.rows.map((r: Json) => ({
          key: cell(r.key),
          created: cell(r.created),
          resolved: cell(r.resolved),
          'firstResponse.p50Minutes': cell(r.firstResponse.p50Minutes),
          'firstResponse.p90Minutes': cell(r.firstResponse.p90Minutes),
          'resolution.p50Minutes': cell(r.resolution.p50Minutes),
          'resolution.p90Minutes': cell(r.resolution.p90Minutes),
          'slaMet.firstResponse': cell(r.slaMet.firstResponse),
          'slaMet.resolution': cell(r.slaMet.resolution),
          'satisfaction.average': cell(r.satisfaction.average),
          'satisfaction.responses': cell(r.satisfaction.responses),
        })),
      );
    });
  }

  it("lists the period's latest rating comments, newest first, to admins and auditors only", async () => {
    const path = `/reports/comments?from=${from}&to=${to}`;
    const res = await api.get(path, { token: (await world.auditor()).token });
    expect(res.status).toBe(200);
    const comments = timelines
      .flatMap((events) => events.filter((e) => e.type === 'satisfaction' && e.data.comment))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    expect(comments.length).toBeGreaterThan(0);
    expect(res.body.items.map((c: Json) => [c.ticketId, c.score, c.comment, c.createdAt])).toEqual(
      comments.map((e) => [e.ticketId, e.data.score, e.data.comment, e.createdAt]),
    );
    expect((await api.get(path, { token: (await world.agent()).token })).status).toBe(403);
    expect((await api.get(`/reports/comments?from=${to}&to=${from}`, { token: admin.token })).status).toBe(400);
  });

  it('answers auditors too, and nobody else', async () => {
    const path = `/reports/summary?from=${from}&to=${to}`;
    expect((await api.get(path, { token: (await world.auditor()).token })).status).toBe(200);
    for (const person of [await world.agent(), await world.customer(), await world.platformUser()]) {
      expect((await api.get(path, { token: person.token })).status).toBe(403);
      const csv = await api.get(path, { token: person.token, headers: { accept: 'text/csv' } });
      expect([csv.status, csv.body.error.code]).toEqual([403, 'forbidden']);
    }
    expect((await api.get(path)).status).toBe(401);
  });

  it('takes at most 366 days, real dates, from not after to (400)', async () => {
    for (const query of [
      'from=2011-01-01&to=2012-01-02',
      'from=2011-02-30&to=2011-03-01',
      'from=2011-03-02&to=2011-03-01',
      'from=2011-03-01',
      'from=2011-03-01&to=2011-03-02&by=week',
    ]) {
      const res = await api.get(`/reports/summary?${query}`, { token: admin.token });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await api.get('/reports/summary?from=2011-01-01&to=2012-01-01', { token: admin.token })).status).toBe(200);
  });
});

describe("today's tickets, over HTTP", () => {
  it('counts a ticket opened, answered, resolved and rated through the API under its group', async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const ticket = await openTicket(ana, { topic: 'billing' });
    expect(
      (await api.post(`/tickets/${ticket.id}/messages`, { token: caio.token, body: { body: 'Oi!' } })).status,
    ).toBe(201);
    const patch = { assigneeId: caio.user.id, status: 'resolved' };
    expect((await api.patch(`/tickets/${ticket.id}`, { token: caio.token, body: patch })).status).toBe(200);
    expect(
      (await api.post(`/tickets/${ticket.id}/satisfaction`, { token: ana.token, body: { score: 4 } })).status,
    ).toBe(201);
    // Around midnight the ticket's figures may fall on two days: ask for the days around today.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const res = await api.get(`/reports/summary?from=${day(-2)}&to=${day(1)}&by=group`, {
      token: (await world.admin()).token,
    });
    const row = res.body.rows.find((r: Json) => r.key === ana.group.id);
    expect(row).toMatchObject({ created: 1, resolved: 1, satisfaction: { average: 4, responses: 1 } });
    expect(row.firstResponse.p50Minutes).toBeLessThanOrEqual(bucketBounds[1]);
    expect(row.resolution.p50Minutes).toBeLessThanOrEqual(bucketBounds[1]);
  });
});
