import { describe, expect, it } from 'vitest';
import { objectKeys } from '../../../../shared/store/attachments.js';
import { autoReplyKeys } from '../../../../shared/store/auto-replies.js';
import { connectionSlotKeys } from '../../../../shared/store/connection-slots.js';
import { connectionTicketKeys } from '../../../../shared/store/connection-tickets.js';
import { keys as connectionKeys } from '../../../../shared/store/connections.js';
import { inviteKeys } from '../../../../shared/store/invites.js';
import { outboxKeys } from '../../../../shared/store/outbox.js';
import { objectPrefixes, partitions } from '../../../../shared/store/partitions.js';
import { rateLimitKeys } from '../../../../shared/store/rate-limits.js';
import { suppressionKeys } from '../../../../shared/store/suppressions.js';

// The stack grants writes by these prefixes (dynamodb:LeadingKeys): a key builder that drifted from its
// partition would be refused in AWS while every local test still passed.
describe('partitions the stack grants writes to', () => {
  it("are where each kind of item's key builder puts it", () => {
    expect(connectionKeys.connection('c1').pk.startsWith(partitions.connection)).toBe(true);
    expect(connectionKeys.subscription('ticket#T1', 'c1').pk.startsWith(partitions.subscription)).toBe(true);
    expect(connectionSlotKeys.slot('U1', 3).pk.startsWith(partitions.connectionSlot)).toBe(true);
    expect(connectionTicketKeys.ticket('h').pk.startsWith(partitions.connectionTicket)).toBe(true);
    expect(rateLimitKeys.limit('frames', 'c1').pk.startsWith(partitions.limit)).toBe(true);
    expect(outboxKeys.item('o1').pk.startsWith(partitions.outbox)).toBe(true);
    expect(suppressionKeys.item('a@x.com').pk.startsWith(partitions.suppression)).toBe(true);
    expect(autoReplyKeys.sender('a@x.com').pk.startsWith(partitions.autoReply)).toBe(true);
    expect(inviteKeys.invite('I1').pk.startsWith(partitions.invite)).toBe(true);
  });

  it('never overlap: no prefix grants another kind of item', () => {
    const prefixes = Object.values(partitions);
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(b.startsWith(a), `${a} ${b}`).toBe(false);
  });

  it('put evidence objects under the prefixes the stack grants', () => {
    expect(objectKeys.upload('A1')).toBe(`${objectPrefixes.upload}A1`);
    expect(objectKeys.attached('A1')).toBe(`${objectPrefixes.attached}A1`);
  });
});
