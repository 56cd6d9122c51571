// Following a ticket through the public API: who may, what the ticket and its timeline show, and what the
// WebSocket subscribers see. (What followers are e-mailed: replies.test.ts.)
import { describe, expect, it } from 'vitest';
import { maxFollowers } from '../../../shared/domain/tickets.js';
import { api, type Json } from '../../support/http.js';
import { type Person, world } from '../../support/world.js';
import { connectAs, expectReply } from '../chat/support.js';
import { openTicket } from '../tickets/support.js';

const follow = (person: Person, ticketId: string) =>
  api.put(`/tickets/${ticketId}/followers/me`, { token: person.token });
const unfollow = (person: Person, ticketId: string) =>
  api.delete(`/tickets/${ticketId}/followers/me`, { token: person.token });

const ticketOf = async (person: Person, ticketId: string): Promise<Json> => {
  const res = await api.get(`/tickets/${ticketId}`, { token: person.token });
  expect(res.status).toBe(200);
  return res.body.ticket;
};

const followerEvents = async (person: Person, ticketId: string): Promise<Json[]> => {
  const res = await api.get(`/tickets/${ticketId}/events`, { token: person.token });
  expect(res.status).toBe(200);
  return res.body.items.filter((e: Json) => e.type === 'follower_added' || e.type === 'follower_removed');
};

describe('following a ticket', () => {
  it("lets a colleague of the requester's company follow and stop, recorded once each on the timeline", async () => {
    const requester = await world.customer();
    const colleague = await world.customer({ group: requester.group });
    const ticket = await openTicket(requester);
    expect(ticket.followerIds).toEqual([]);

    const first = await follow(colleague, ticket.id);
    expect(first.status).toBe(204);
    expect(first.body).toBeUndefined();
    // Following again changes nothing and records nothing.
    expect((await follow(colleague, ticket.id)).status).toBe(204);
    expect((await ticketOf(requester, ticket.id)).followerIds).toEqual([colleague.user.id]);

    expect((await unfollow(colleague, ticket.id)).status).toBe(204);
    expect((await unfollow(colleague, ticket.id)).status).toBe(204);
    expect((await ticketOf(colleague, ticket.id)).followerIds).toEqual([]);
    expect((await followerEvents(requester, ticket.id)).map((e) => [e.type, e.actor.id, e.data.userId])).toEqual([
      ['follower_added', colleague.user.id, colleague.user.id],
      ['follower_removed', colleague.user.id, colleague.user.id],
    ]);
  });

  it('lets agents and admins follow any ticket', async () => {
    const ticket = await openTicket(await world.customer());
    const agent = await world.agent();
    const admin = await world.admin();
    expect((await follow(agent, ticket.id)).status).toBe(204);
    expect((await follow(admin, ticket.id)).status).toBe(204);
    expect((await ticketOf(agent, ticket.id)).followerIds).toEqual([agent.user.id, admin.user.id]);
  });

  it('refuses auditors with 403, and answers 404 to someone who cannot see the ticket, changing nothing', async () => {
    const requester = await world.customer();
    const ticket = await openTicket(requester);
    const auditor = await world.auditor();
    const stranger = await world.customer();
    const platformUser = await world.platformUser();

    for (const call of [follow, unfollow]) {
      expect((await call(auditor, ticket.id)).status).toBe(403);
      for (const outsider of [stranger, platformUser]) {
        const res = await call(outsider, ticket.id);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    }
    expect((await follow(stranger, '01J0000000000000000000NONE')).status).toBe(404);
    expect((await follow(stranger, 'not-an-id')).status).toBe(404);
    expect(await followerEvents(requester, ticket.id)).toEqual([]);
    expect((await ticketOf(requester, ticket.id)).followerIds).toEqual([]);
  });

  it(`holds at most ${maxFollowers} followers, refusing one more with 409`, async () => {
    const ticket = await openTicket(await world.customer());
    const agents = await Promise.all(Array.from({ length: maxFollowers + 1 }, () => world.agent()));
    for (const agent of agents.slice(0, maxFollowers)) expect((await follow(agent, ticket.id)).status).toBe(204);
    const refused = await follow(agents[maxFollowers] as Person, ticket.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await ticketOf(agents[0] as Person, ticket.id)).followerIds).toHaveLength(maxFollowers);
  });

  it("pushes the follower's arrival to the ticket's subscribers, with the ticket's new followers", async () => {
    const requester = await world.customer();
    const colleague = await world.customer({ group: requester.group });
    const ticket = await openTicket(requester);
    const watcher = await connectAs(requester);
    await expectReply(watcher, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });

    expect((await follow(colleague, ticket.id)).status).toBe(204);

    const event = await watcher.next((f: Json) => f.type === 'event' && f.event.type === 'follower_added');
    expect(event.event.data).toEqual({ userId: colleague.user.id });
    const updated = await watcher.next((f: Json) => f.type === 'ticket.updated');
    expect(updated.ticket.followerIds).toEqual([colleague.user.id]);
    await watcher.close();
  });
});
