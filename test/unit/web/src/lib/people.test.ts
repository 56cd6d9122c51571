import { describe, expect, it } from 'vitest';
import { acceptBody, added, guardOf, replaced, sortStaff } from '../../../../../web/src/lib/people.js';

type Status = 'active' | 'disabled';
const person = (id: string, role: 'agent' | 'admin' | 'auditor', status: Status = 'active', name = id) => ({
  id,
  role,
  status,
  name,
});

describe('what the staff page offers to change', () => {
  it('never offers an admin to demote or disable themselves', () => {
    const staff = [person('me', 'admin'), person('other', 'admin'), person('a', 'agent')];
    expect(guardOf(staff, 'me', staff[0] as (typeof staff)[number])).toBe('self');
  });

  it('protects the only active admin, counting disabled admins as none', () => {
    const lone = person('lone', 'admin');
    const staff = [person('me', 'agent'), lone, person('off', 'admin', 'disabled')];
    expect(guardOf(staff, 'me', lone)).toBe('last_admin');
    // With a second active admin, either may be changed.
    const two = [...staff, person('second', 'admin')];
    expect(guardOf(two, 'me', lone)).toBeNull();
  });

  it('offers everything for agents, auditors and disabled admins', () => {
    const staff = [
      person('me', 'admin'),
      person('a', 'agent'),
      person('u', 'auditor'),
      person('d', 'admin', 'disabled'),
    ];
    for (const target of staff.slice(1)) expect(guardOf(staff, 'me', target)).toBeNull();
  });
});

describe('the staff list', () => {
  it('shows active people first, each part by name, accents and case ignored', () => {
    const sorted = sortStaff([
      person('1', 'agent', 'disabled', 'Bruno'),
      person('2', 'agent', 'active', 'érica'),
      person('3', 'admin', 'active', 'Ana'),
      person('4', 'auditor', 'disabled', 'Álvaro'),
      person('5', 'agent', 'active', 'Eduardo'),
    ]);
    expect(sorted.map((p) => p.name)).toEqual(['Ana', 'Eduardo', 'érica', 'Álvaro', 'Bruno']);
  });

  it('shows a new invitation once, even when the list loaded after it was sent already holds it', () => {
    const sent = { id: 'i2', delivery: 'queued' };
    const listed = { id: 'i2', delivery: 'sent' };
    expect(added(null, sent)).toEqual([sent]);
    expect(added([{ id: 'i1', delivery: 'sent' }], sent)).toEqual([sent, { id: 'i1', delivery: 'sent' }]);
    expect(added([listed, { id: 'i1', delivery: 'sent' }], sent)).toEqual([listed, { id: 'i1', delivery: 'sent' }]);
  });

  it('puts a changed person in their old place', () => {
    const list = [person('1', 'agent'), person('2', 'agent'), person('3', 'agent')];
    const changed = person('2', 'admin');
    expect(replaced(list, changed)).toEqual([list[0], changed, list[2]]);
  });
});

describe('accepting an invitation', () => {
  it('sends only the password of an existing account, whose name stays as it is', () => {
    expect(acceptBody('tok', true, { name: 'Outro Nome', password: 'senha-da-conta' })).toEqual({
      token: 'tok',
      password: 'senha-da-conta',
    });
  });

  it('sends the name (trimmed) and the chosen password for a new account', () => {
    expect(acceptBody('tok', false, { name: '  Maria Souza ', password: 'nova-senha-123' })).toEqual({
      token: 'tok',
      name: 'Maria Souza',
      password: 'nova-senha-123',
    });
  });
});
