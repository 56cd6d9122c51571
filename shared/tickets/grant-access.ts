// Granting what a `portal_access` ticket asks for: an invitation of its requester to a group, and the
// ticket's `access_granted` event written in the invitation's own transaction.
import { createInvite } from '../auth/invitations.js';
import { stampEvents, type TicketEvent } from '../domain/events.js';
import type { InviteView } from '../domain/invites.js';
import { isAgent, type Principal } from '../domain/roles.js';
import type { TicketRecord } from '../domain/tickets.js';
import { accessRequestTopic } from '../domain/topics.js';
import { Conflict, Forbidden, Unavailable } from '../errors.js';
import { conditionFailed, type TransactItem, transactionBusy } from '../store/dynamo.js';
import { putEventItem } from '../store/events.js';
import { putTicketItem } from '../store/tickets.js';
import { publishChange } from './publish.js';
import { visibleRecord } from './reads.js';
import { retryLostRaces } from './retry.js';

/** The ticket's side of a grant: its writes for the invite about to be written, and what they store. */
interface Grant {
  ticket: TicketRecord;
  events: TicketEvent[];
  writes: TransactItem[];
}

/** The `access_granted` event (it names the invite) and the ticket one version on, at `before`'s version. */
function planGrant(principal: Principal, before: TicketRecord, groupId: string, inviteId: string, now: Date): Grant {
  const data = { groupId, email: before.requesterEmail, inviteId };
  const events = stampEvents([{ type: 'access_granted', data }], before.id, principal, before.lastEventId, now);
  const ticket = {
    ...before,
    version: before.version + 1,
    updatedAt: now.toISOString(),
    lastEventId: events[events.length - 1]?.id ?? before.lastEventId,
  };
  return { ticket, events, writes: [putTicketItem(ticket, before.version), ...events.map(putEventItem)] };
}

/**
 * Invites the ticket's requester to `groupId` (the invitation e-mail goes out as for any invite) and records
 * `access_granted`. A second click answers the invitation the first made, without a second e-mail or event.
 */
export async function grantAccess(principal: Principal, ticketId: string, groupId: string): Promise<InviteView> {
  const first = await visibleRecord(principal, ticketId);
  if (!isAgent(principal)) throw new Forbidden();
  if (first.topic !== accessRequestTopic) throw new Conflict(`only a ${accessRequestTopic} ticket grants access`);
  if (!first.requesterEmail) throw new Conflict('the requester has no e-mail address to invite');
  // The only conditions that can fail here on a retry-worthy race are the ticket's version.
  const lostRace = (error: unknown) => conditionFailed(error) || transactionBusy(error);
  const exhausted = () => new Unavailable('the ticket (too many changes at once)');
  return retryLostRaces({ lostRace, exhausted }, async (attempt) => {
    const before = attempt === 0 ? first : await visibleRecord(principal, ticketId);
    const now = new Date();
    // The invitation module names the invite as it writes it, and only then can the event name it; it
    // may also answer an earlier pending invitation and write nothing of ours. So the grant it wrote, if
    // any, is the one planned for the invite it answers with.
    const planned = new Map<string, Grant>();
    const invite = await createInvite(
      principal,
      groupId,
      { email: before.requesterEmail, name: before.requesterName || undefined },
      {
        alongside: (created) => {
          const grant = planGrant(principal, before, groupId, created.id, now);
          planned.set(created.id, grant);
          return grant.writes;
        },
        now,
        reusePending: true,
      },
    );
    const written = planned.get(invite.id);
    if (written) await publishChange(before, written.ticket, written.events);
    return invite;
  });
}
