import { beforeEach, describe, expect, it, vi } from 'vitest';
import { currentPrincipal } from '../../../../shared/auth/current-principal.js';
import type { Principal } from '../../../../shared/domain/roles.js';
import type { GroupRef, User } from '../../../../shared/domain/users.js';

// The person as the table holds them now: what store/users.ts getAccess would read.
const stored: { access?: { user: User; groups: GroupRef[]; ungroupedTickets: boolean } } = {};
vi.mock('../../../../shared/store/users.js', () => ({ getAccess: async () => stored.access }));

const user: User = {
  id: 'U1',
  email: 'ana@example.com',
  name: 'Ana',
  role: 'customer',
  locale: 'pt-BR',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const claimed: Principal = { userId: 'U1', role: 'customer', groupIds: ['G1', 'G2'], name: 'Ana', email: user.email };

beforeEach(() => {
  stored.access = { user, groups: [{ id: 'G1', name: 'Acme' }], ungroupedTickets: false };
});

describe('the principal that counts is the person as they are now', () => {
  it('takes the current role, groups and name over what the token says', async () => {
    stored.access = {
      user: { ...user, name: 'Ana Paula' },
      groups: [{ id: 'G1', name: 'Acme' }],
      ungroupedTickets: true,
    };
    expect(await currentPrincipal(claimed)).toEqual({
      userId: 'U1',
      role: 'customer',
      groupIds: ['G1'],
      name: 'Ana Paula',
      email: user.email,
      accessRevision: 0,
      ungroupedTickets: true,
    });
  });

  it('refuses a principal issued under an older revision of the person’s access', async () => {
    stored.access = { user: { ...user, accessRevision: 2 }, groups: [], ungroupedTickets: false };
    expect(await currentPrincipal({ ...claimed, accessRevision: 1 })).toBeUndefined();
    expect(await currentPrincipal(claimed)).toBeUndefined();
    expect(await currentPrincipal({ ...claimed, accessRevision: 2 })).toMatchObject({ userId: 'U1' });
  });

  it('refuses a disabled person and one who no longer exists', async () => {
    stored.access = { user: { ...user, status: 'disabled' }, groups: [], ungroupedTickets: false };
    expect(await currentPrincipal(claimed)).toBeUndefined();
    stored.access = undefined;
    expect(await currentPrincipal(claimed)).toBeUndefined();
  });
});
