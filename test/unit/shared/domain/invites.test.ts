import { describe, expect, it } from 'vitest';
import { CreateGroupBody } from '../../../../shared/domain/groups.js';
import { type Invite, inviteView } from '../../../../shared/domain/invites.js';

const invite: Invite = {
  id: '01J0000000000000000000000A',
  groupId: '01J0000000000000000000000B',
  email: 'ana@example.com',
  locale: 'pt-BR',
  status: 'pending',
  expiresAt: '2030-01-08T00:00:00.000Z',
  createdAt: '2030-01-01T00:00:00.000Z',
  createdBy: '01J0000000000000000000000C',
  delivery: { status: 'failed', attempts: 2, lastError: 'boom' },
};

describe('invite as the contract shows it', () => {
  it('is pending until it expires, then expired', () => {
    expect(inviteView(invite, new Date('2030-01-07T23:59:59Z')).status).toBe('pending');
    expect(inviteView(invite, new Date('2030-01-08T00:00:00Z')).status).toBe('expired');
  });

  it('stays accepted or revoked after its expiry', () => {
    expect(inviteView({ ...invite, status: 'accepted' }, new Date('2031-01-01')).status).toBe('accepted');
    expect(inviteView({ ...invite, status: 'revoked' }, new Date('2031-01-01')).status).toBe('revoked');
  });

  it('shows exactly the contract fields, never the token hash', () => {
    const view = inviteView({ ...invite, tokenHash: 'secret' } as Invite, new Date('2030-01-02'));
    expect(Object.keys(view).sort()).toEqual(
      ['createdAt', 'createdBy', 'delivery', 'email', 'expiresAt', 'groupId', 'id', 'role', 'status'].sort(),
    );
    // Invitations made before staff could be invited are a group's: they make customers.
    expect(view.role).toBe('customer');
    expect(view.delivery).toEqual({ status: 'failed', attempts: 2, lastError: 'boom' });
  });
});

describe('group body', () => {
  it('stores a CNPJ digits-only and refuses an invalid one', () => {
    expect(CreateGroupBody.parse({ name: ' Ótica Boa Vista ', taxId: '11.222.333/0001-81' })).toEqual({
      name: 'Ótica Boa Vista',
      taxId: '11222333000181',
    });
    const refused = CreateGroupBody.safeParse({ name: 'X', taxId: '11.222.333/0001-80' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['taxId']);
  });

  it('refuses unknown fields', () => {
    expect(CreateGroupBody.safeParse({ name: 'X', admin: true }).success).toBe(false);
  });
});
