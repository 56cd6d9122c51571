import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../../shared/domain/roles.js';
import { sourcesFor } from '../../../../shared/store/search.js';

const person = (role: Role, groupIds: string[] = []): Principal => ({
  userId: 'U1',
  role,
  groupIds,
  name: 'Ana',
  email: 'ana@example.com',
});

describe('the partitions a ticket list reads', () => {
  it('are month by month for staff without filters, and nothing is left to check per ticket', () => {
    expect(sourcesFor(person('agent'), {})).toEqual({ sources: [{ kind: 'all' }], residual: false });
    expect(sourcesFor(person('auditor'), {})).toEqual({ sources: [{ kind: 'all' }], residual: false });
  });

  it('use the most selective index for staff filters', () => {
    expect(sourcesFor(person('admin'), { groupId: 'G1' }).sources).toEqual([{ kind: 'group', groupId: 'G1' }]);
    expect(sourcesFor(person('agent'), { assigneeId: 'A1', groupId: 'G1' })).toEqual({
      sources: [{ kind: 'assignee', userId: 'A1' }],
      residual: true,
    });
    expect(sourcesFor(person('agent'), { status: 'open' }).residual).toBe(true);
    expect(sourcesFor(person('agent'), {}, ['nota', 'eletronica'])).toEqual({
      sources: [{ kind: 'words', word: 'eletronica' }],
      residual: true,
    });
    expect(sourcesFor(person('agent'), { groupId: 'G1' }, ['nota'])).toEqual({
      sources: [{ kind: 'groupWords', groupId: 'G1', word: 'nota' }],
      residual: false,
    });
  });

  it("are only a customer's own groups and own tickets, whatever group is asked for", () => {
    expect(sourcesFor(person('customer', ['G1', 'G2']), {}).sources).toEqual([
      { kind: 'group', groupId: 'G1' },
      { kind: 'group', groupId: 'G2' },
      { kind: 'requester', userId: 'U1' },
    ]);
    expect(sourcesFor(person('customer', ['G1']), { groupId: 'G9' }).sources).toEqual([
      { kind: 'requester', userId: 'U1' },
    ]);
    expect(sourcesFor(person('customer', ['G1']), {}, ['nota']).sources).toEqual([
      { kind: 'groupWords', groupId: 'G1', word: 'nota' },
      { kind: 'requesterWords', userId: 'U1', word: 'nota' },
    ]);
  });

  it("leave out a customer's own partition when they never asked for a ticket outside a group: one Query", () => {
    const groupsOnly = { ...person('customer', ['G1']), ungroupedTickets: false };
    expect(sourcesFor(groupsOnly, {}).sources).toEqual([{ kind: 'group', groupId: 'G1' }]);
    expect(sourcesFor(groupsOnly, {}, ['nota']).sources).toEqual([{ kind: 'groupWords', groupId: 'G1', word: 'nota' }]);
    expect(sourcesFor(groupsOnly, { groupId: 'G9' }).sources).toEqual([]);
    expect(sourcesFor({ ...groupsOnly, ungroupedTickets: true }, {}).sources).toEqual([
      { kind: 'group', groupId: 'G1' },
      { kind: 'requester', userId: 'U1' },
    ]);
    expect(sourcesFor({ ...person('platform_user'), ungroupedTickets: false }, {}).sources).toEqual([
      { kind: 'requester', userId: 'U1' },
    ]);
  });

  it('are only their own tickets for host-platform users, even if they claim groups', () => {
    expect(sourcesFor(person('platform_user', ['G1']), {}).sources).toEqual([{ kind: 'requester', userId: 'U1' }]);
    expect(sourcesFor(person('platform_user', ['G1']), { groupId: 'G1' }).sources).toEqual([
      { kind: 'requester', userId: 'U1' },
    ]);
  });
});
