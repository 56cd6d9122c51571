// Presence and the assignment policy: who may set them, and bad input. On the shared stack, whose answers are
// held to the API reference: nothing here changes the policy (every write is refused), and presence alone
// hands nothing out under the default, manual policy. What they do: assignment.test.ts.
import { describe, expect, it } from 'vitest';
import { api, type Json } from '../../support/http.js';
import { world } from '../../support/world.js';

describe('presence and assignment policy: who may, and bad input', () => {
  it('answers 400 naming each bad field, 403 to anyone but an admin, and changes nothing', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    for (const [body, fields] of [
      [{ mode: 'random', maxOpenPerAgent: 0 }, ['mode', 'maxOpenPerAgent']],
      [{ mode: 'round_robin', maxOpenPerAgent: 101 }, ['maxOpenPerAgent']],
      [{ mode: 'round_robin', maxOpenPerAgent: 2.5 }, ['maxOpenPerAgent']],
      [{ mode: 'round_robin' }, ['maxOpenPerAgent']],
    ] as const) {
      const res = await api.put('/assignment-policy', { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: Json) => d.path).sort()).toEqual([...fields].sort());
    }
    const byAgent = await api.put('/assignment-policy', {
      token: agent.token,
      body: { mode: 'round_robin', maxOpenPerAgent: 9 },
    });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('forbidden');
    const customer = await world.customer();
    expect((await api.get('/assignment-policy', { token: customer.token })).status).toBe(403);
    // The default, untouched by the refusals.
    const read = await api.get('/assignment-policy', { token: (await world.auditor()).token });
    expect(read.body).toEqual({ mode: 'manual', maxOpenPerAgent: 5 });

    const badPresence = await api.put('/me/presence', { token: agent.token, body: { status: 'busy' } });
    expect(badPresence.status).toBe(400);
    expect(badPresence.body.error.details.map((d: Json) => d.path)).toEqual(['status']);
    expect((await api.put('/me/presence', { token: agent.token, body: { status: 'away' } })).status).toBe(204);
    const me = await api.get('/me', { token: agent.token });
    // Away, but with no connection: offline.
    expect(me.body.user.presence).toBe('offline');
    for (const outsider of [customer, await world.platformUser(), await world.auditor()]) {
      const res = await api.put('/me/presence', { token: outsider.token, body: { status: 'online' } });
      expect(res.status).toBe(403);
    }
    // A customer's own view carries no presence.
    expect((await api.get('/me', { token: customer.token })).body.user).not.toHaveProperty('presence');
  });
});
