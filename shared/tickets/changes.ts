// Changing a ticket's fields (PATCH /tickets/{id}): status, priority, topic, assignee.
import { isAgentRole, type Principal } from '../domain/roles.js';
import {
  canWrite,
  planPatch,
  type Ticket,
  type TicketPatch,
  type TicketRecord,
  ticketView,
} from '../domain/tickets.js';
import { Forbidden, ValidationFailed } from '../errors.js';
import { getUser } from '../store/users.js';
import { assignWaitingTickets } from './assignment.js';
import { visibleRecord } from './reads.js';
import { applyChange } from './transaction.js';

/**
 * Changes status, priority, topic or assignee, as `principal`'s role allows (domain/tickets.ts planPatch).
 * With `expectedVersion` (the client's `if-match`), a ticket at another version is a 409.
 */
export async function updateTicket(
  principal: Principal,
  ticketId: string,
  patch: TicketPatch,
  options: { expectedVersion?: number; connectionId?: string; clock?: () => Date } = {},
): Promise<Ticket> {
  const first = await visibleRecord(principal, ticketId);
  if (!canWrite(principal)) throw new Forbidden();
  if (typeof patch.assigneeId === 'string' && patch.assigneeId !== first.assigneeId) {
    const assignee = await getUser(patch.assigneeId);
    if (!assignee || !isAgentRole(assignee.role)) {
      throw ValidationFailed.of('assigneeId', 'not an agent');
    }
  }
  const { ticket } = await applyChange(
    principal,
    ticketId,
    (current) => {
      const plan = planPatch(principal, current, patch);
      if (!plan.allowed) throw new Forbidden(`your role may not change ${plan.field} like this`);
      const { assigneeId, ...rest } = plan.changes;
      const next: TicketRecord = { ...current, ...rest };
      if (assigneeId !== undefined) next.assigneeId = assigneeId ?? undefined;
      return { next, drafts: plan.events };
    },
    { expectedVersion: options.expectedVersion, first, connectionId: options.connectionId, clock: options.clock },
  );
  // A ticket that left its agent (resolved, closed, handed to someone else) frees a place under the cap.
  if (first.heldBy !== undefined && ticket.heldBy !== first.heldBy) await assignWaitingTickets();
  return ticketView(ticket);
}
