// Never zero active admins. "The last admin" is a fact about the whole deployment, so this file runs on a
// gateway with a table of its own (test/integration/faults/isolated.ts), where it knows every admin there is.
import { describe, expect, it } from 'vitest';
import { call } from '../../../bench/clients.js';
import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from '../faults/isolated.js';

const isolated = useIsolatedGateway();

const http = (person: { token: string }, method: string, path: string, body?: unknown) =>
  call(isolated.urls.httpUrl, method, path, { token: person.token, body });

async function signIn(person: Person): Promise<{ token: string }> {
  const res = await call(isolated.urls.httpUrl, 'POST', '/auth/login', {
    body: { email: person.email, password: person.password },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { token: res.body.accessToken };
}

const activeAdmins = async (viewer: { token: string }) =>
  (await http(viewer, 'GET', '/staff')).body.items.filter(
    (u: { role: string; status: string }) => u.role === 'admin' && u.status === 'active',
  );

describe('the last active admin', () => {
  it('may not be demoted or disabled (409), by someone else or by themselves; another admin may be', async () => {
    const ana = await world.admin({ name: 'Ana Admin' });
    const bruno = await world.admin({ name: 'Bruno Admin' });
    const demoted = await http(ana, 'PATCH', `/users/${bruno.user.id}`, { role: 'agent' });
    expect(demoted.status, JSON.stringify(demoted.body)).toBe(200);
    expect(demoted.body.user).toMatchObject({ id: bruno.user.id, role: 'agent', status: 'active' });

    for (const change of [{ role: 'agent' }, { role: 'auditor' }, { status: 'disabled' }]) {
      const refused = await http(ana, 'PATCH', `/users/${ana.user.id}`, change);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('conflict');
    }
    // Nothing was half-written: Ana is still the active admin she was.
    expect(await activeAdmins(ana)).toEqual([expect.objectContaining({ id: ana.user.id })]);
    // A name change of the last admin is no access change.
    const renamed = await http(ana, 'PATCH', `/users/${ana.user.id}`, { name: 'Ana Maria' });
    expect(renamed.body.user).toMatchObject({ name: 'Ana Maria', role: 'admin', status: 'active' });
  });

  it('stays, when two admins demote each other at the same moment: one change wins, the other is refused', async () => {
    const [carla, davi] = [await world.admin(), await world.admin()];
    // Every other admin of this table steps down first, so these two are the last.
    const others = (await activeAdmins(carla)).filter(
      (u: { id: string }) => u.id !== carla.user.id && u.id !== davi.user.id,
    );
    for (const other of others) {
      const res = await http(carla, 'PATCH', `/users/${other.id}`, { role: 'agent' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const [one, two] = await Promise.all([
      http(carla, 'PATCH', `/users/${davi.user.id}`, { role: 'agent' }),
      http(davi, 'PATCH', `/users/${carla.user.id}`, { status: 'disabled' }),
    ]);
    const statuses = [one.status, two.status].sort();
    // The loser either lost the race in the transaction (409) or was itself demoted first (401 on its next request).
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const viewer = await signIn(await world.auditor());
    expect(await activeAdmins(viewer)).toHaveLength(1);
  });
});
