// Satisfaction: the requester rates a resolved ticket from the portal (signed in) or with the resolution
// e-mail's one-click link (its signed token); staff see the rating on the timeline.
import { describe, expect, it } from 'vitest';
import { ratingLinks } from '../../../shared/mail/rating-links.js';
import { getTicketRecord } from '../../../shared/store/tickets.js';
import { updateTicket } from '../../../shared/tickets/changes.js';
import { createTicket } from '../../../shared/tickets/create.js';
import { api, type Json } from '../../support/http.js';
import { type Person, world } from '../../support/world.js';
import { openTicket } from '../tickets/support.js';

const rate = (person: Person, ticketId: string, body: Json) =>
  api.post(`/tickets/${ticketId}/satisfaction`, { token: person.token, body });

async function resolvedTicket() {
  const ana = await world.customer();
  const caio = await world.agent();
  const ticket = await openTicket(ana);
  const res = await api.patch(`/tickets/${ticket.id}`, { token: caio.token, body: { status: 'resolved' } });
  expect(res.status).toBe(200);
  return { ana, caio, ticket };
}

const timeline = async (person: Person, ticketId: string): Promise<Json[]> =>
  (await api.get(`/tickets/${ticketId}/events`, { token: person.token })).body.items;

describe('rating a resolved ticket', () => {
  it('records the rating as an event staff see; a new rating is a new event that replaces it', async () => {
    const { ana, caio, ticket } = await resolvedTicket();
    const first = await rate(ana, ticket.id, { score: 2, comment: 'Demorou.' });
    expect(first.status).toBe(201);
    expect(first.body.event).toMatchObject({
      type: 'satisfaction',
      ticketId: ticket.id,
      actor: { id: ana.user.id },
      data: { score: 2, comment: 'Demorou.' },
    });
    const second = await rate(ana, ticket.id, { score: 5 });
    expect(second.status).toBe(201);
    const ratings = (await timeline(caio, ticket.id)).filter((e) => e.type === 'satisfaction');
    expect(ratings.map((e) => e.data)).toEqual([{ score: 2, comment: 'Demorou.' }, { score: 5 }]);
  });

  it('is for the requester only: staff get 403, someone who cannot see the ticket 404', async () => {
    const { caio, ticket } = await resolvedTicket();
    expect((await rate(caio, ticket.id, { score: 5 })).status).toBe(403);
    expect((await rate(await world.admin(), ticket.id, { score: 5 })).status).toBe(403);
    expect((await rate(await world.auditor(), ticket.id, { score: 5 })).status).toBe(403);
    expect((await rate(await world.customer(), ticket.id, { score: 5 })).body.error.code).toBe('not_found');
    expect((await timeline(caio, ticket.id)).filter((e) => e.type === 'satisfaction')).toEqual([]);
  });

  it('only once resolved (409), with a score from 1 to 5 (400)', async () => {
    const ana = await world.customer();
    const open = await openTicket(ana);
    const refused = await rate(ana, open.id, { score: 4 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/resolved/);
    const { ana: bia, caio, ticket } = await resolvedTicket();
    for (const body of [{ score: 0 }, { score: 6 }, { score: 2.5 }, { score: '5' }, {}, { score: 3, extra: 1 }]) {
      const res = await rate(bia, ticket.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await timeline(caio, ticket.id)).filter((e) => e.type === 'satisfaction')).toEqual([]);
  });

  it('only within 14 days of the resolution (409)', async () => {
    const ana = await world.customer();
    const caio = await world.agent();
    const day = 86_400_000;
    const opened = new Date(Date.now() - 20 * day);
    const { ticket } = await createTicket(
      ana.principal,
      { groupId: ana.group.id, topic: 'other', subject: 'Antigo', description: 'Resolvido há muito tempo' },
      { clock: () => opened },
    );
    await updateTicket(
      caio.principal,
      ticket.id,
      { status: 'resolved' },
      { clock: () => new Date(opened.getTime() + 5 * day) },
    );
    const refused = await rate(ana, ticket.id, { score: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/14 days/);
  });
});

describe("the resolution e-mail's one-click rating", () => {
  it('records the score without sign-in through the link, and the comment the page adds', async () => {
    const { caio, ticket } = await resolvedTicket();
    const links = await ratingLinks(
      (await getTicketRecord(ticket.id)) as NonNullable<Awaited<ReturnType<typeof getTicketRecord>>>,
    );
    expect(links.map((l) => l.score)).toEqual([1, 2, 3, 4, 5]);
    const four = new URL(links[3]?.url ?? '');
    expect(four.pathname).toBe('/rate');
    const fragment = new URLSearchParams(four.hash.slice(1));
    expect(fragment.get('score')).toBe('4');
    const token = fragment.get('token') ?? '';
    // The token travels only in the fragment, which browsers never send.
    expect(four.search).toBe('');

    const clicked = await api.post('/satisfaction', { body: { token, score: 4 } });
    expect(clicked.status).toBe(201);
    expect(clicked.body.event).toMatchObject({ type: 'satisfaction', data: { score: 4 } });
    const commented = await api.post('/satisfaction', { body: { token, score: 4, comment: 'Resolveu rápido.' } });
    expect(commented.status).toBe(201);
    const ratings = (await timeline(caio, ticket.id)).filter((e) => e.type === 'satisfaction');
    expect(ratings.map((e) => [e.actor.id, e.data])).toEqual([
      [ticket.requesterId, { score: 4 }],
      [ticket.requesterId, { score: 4, comment: 'Resolveu rápido.' }],
    ]);
  });

  it('refuses a forged or altered token (410) and is not a session', async () => {
    const { ticket } = await resolvedTicket();
    const links = await ratingLinks(
      (await getTicketRecord(ticket.id)) as NonNullable<Awaited<ReturnType<typeof getTicketRecord>>>,
    );
    const token = new URLSearchParams(new URL(links[0]?.url ?? '').hash.slice(1)).get('token') ?? '';
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await api.post('/satisfaction', { body: { token: altered, score: 1 } })).body.error.code).toBe('gone');
    expect((await api.post('/satisfaction', { body: { token: 'nope', score: 1 } })).status).toBe(410);
    expect((await api.get(`/tickets/${ticket.id}`, { token })).status).toBe(401);
  });
});
