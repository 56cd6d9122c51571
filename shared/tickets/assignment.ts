// Presence and auto-assignment (api.md, "Presence and auto-assignment"): agents say whether they are
// available, admins choose the assignment policy, and with round-robin a ticket nobody has goes to the
// available agent with the fewest open tickets under the cap.
//
// Each hand-out is a ticket change (shared/tickets/transaction.ts) whose transaction also counts the ticket
// on the agent's item with the condition `open < cap` (store/assignment.ts): two tickets racing for an
// agent's last place cannot both commit (the loser goes to the next agent), and the ticket's own version
// check keeps one ticket from going to two agents. With nobody available a ticket waits, unassigned; the
// waiting chats (the agents' queue) are handed out again, oldest first and a bounded number at a time, when
// an agent says they are online, when the policy switches to round-robin, when a ticket leaves an agent, and
// every minute (functions/scheduled/sla.ts), which also serves agents who came online by connecting.

import { presenceOfUser } from '../auth/presence.js';
import {
  type AssignmentPolicy,
  awaitsAssignment,
  type Candidate,
  defaultAssignmentPolicy,
  type PresenceChoice,
  pickOrder,
} from '../domain/assignment.js';
import { isAgent, isAgentRole, isStaff, type Principal } from '../domain/roles.js';
import type { TicketRecord } from '../domain/tickets.js';
import { statusOf } from '../domain/users.js';
import { Forbidden, NotFound } from '../errors.js';
import { logger } from '../observability/logger.js';
import { mapLimited } from '../pool.js';
import {
  getStoredAssignmentPolicy,
  getWorkloads,
  putAssignmentPolicy,
  setPresenceChoice,
} from '../store/assignment.js';
import { queuedTickets } from '../store/search.js';
import { listStaffUsers } from '../store/users.js';
import { applyChange, Refused } from './transaction.js';

/** Who hands tickets out on the timeline: the help desk itself, with an admin's reach (it reads every ticket). */
export const roundRobin: Principal = { userId: 'round-robin', role: 'admin', groupIds: [], name: 'Atende', email: '' };

/** Waiting chats one hand-out looks at; more wait for the next occasion (at the latest a minute). */
const waitingPerRun = 25;

export async function currentAssignmentPolicy(): Promise<AssignmentPolicy> {
  return (await getStoredAssignmentPolicy()) ?? defaultAssignmentPolicy;
}

export async function getAssignmentPolicy(principal: Principal): Promise<AssignmentPolicy> {
  if (!isStaff(principal)) throw new Forbidden();
  return currentAssignmentPolicy();
}

/** Replaces the policy; switching to round-robin (or raising the cap) hands out the chats that wait. */
export async function setAssignmentPolicy(
  principal: Principal,
  policy: AssignmentPolicy,
  now = new Date(),
): Promise<AssignmentPolicy> {
  if (principal.role !== 'admin') throw new Forbidden();
  await putAssignmentPolicy(policy, principal.userId, now);
  await assignWaitingTickets(policy);
  return policy;
}

/** An agent says whether they take tickets; coming online hands them the chats that wait. */
export async function setPresence(principal: Principal, choice: PresenceChoice): Promise<void> {
  if (!isAgent(principal)) throw new Forbidden();
  if (!(await setPresenceChoice(principal.userId, choice))) throw new NotFound('user');
  if (choice === 'online') await assignWaitingTickets();
}

/**
 * Hands a new ticket out under round-robin. Never fails the creation it follows: a ticket not handed out
 * waits like any other, and is looked at again later.
 */
export async function assignNewTicket(ticket: TicketRecord): Promise<TicketRecord> {
  if (!awaitsAssignment(ticket)) return ticket;
  try {
    const policy = await currentAssignmentPolicy();
    return (await assignRoundRobin([ticket.id], policy)).get(ticket.id) ?? ticket;
  } catch (error) {
    logger.error('auto-assignment failed; the ticket waits', { ticketId: ticket.id, error: error as Error });
    return ticket;
  }
}

/**
 * Hands out the chats waiting in the agents' queue, oldest first, while someone is available; answers how
 * many it gave. Never fails the request it follows: what it could not give waits for the next occasion.
 */
export async function assignWaitingTickets(policy?: AssignmentPolicy): Promise<number> {
  try {
    const current = policy ?? (await currentAssignmentPolicy());
    if (current.mode !== 'round_robin') return 0;
    const waiting = await queuedTickets(waitingPerRun);
    return (
      await assignRoundRobin(
        waiting.map((ticket) => ticket.id),
        current,
      )
    ).size;
  } catch (error) {
    logger.error('handing out waiting tickets failed; they wait', { error: error as Error });
    return 0;
  }
}

/**
 * Gives each of `ticketIds`, in order, to the agent round-robin picks, until nobody is left; answers the
 * tickets it gave, as they are after.
 */
async function assignRoundRobin(
  ticketIds: readonly string[],
  policy: AssignmentPolicy,
): Promise<Map<string, TicketRecord>> {
  const given = new Map<string, TicketRecord>();
  if (policy.mode !== 'round_robin' || ticketIds.length === 0) return given;
  const pool = await availableAgents();
  for (const ticketId of ticketIds) {
    for (;;) {
      const [userId] = pickOrder(pool, policy.maxOpenPerAgent);
      const agent = pool.find((candidate) => candidate.userId === userId);
      if (!agent) return given;
      const outcome = await offer(ticketId, agent.userId, policy.maxOpenPerAgent);
      if (outcome === 'full') {
        // Someone else gave them their last place meanwhile.
        agent.open = policy.maxOpenPerAgent;
        continue;
      }
      if (outcome !== 'taken') {
        agent.open += 1;
        agent.lastAssignedAt = outcome.updatedAt;
        given.set(ticketId, outcome);
      }
      break;
    }
  }
  return given;
}

/** Gives the ticket to `userId` if it still waits: the ticket after, `full` at the cap, `taken` if it no longer waits. */
async function offer(ticketId: string, userId: string, cap: number): Promise<TicketRecord | 'full' | 'taken'> {
  try {
    const { ticket, events } = await applyChange(roundRobin, ticketId, (current) =>
      awaitsAssignment(current)
        ? {
            next: { ...current, assigneeId: userId },
            drafts: [{ type: 'assigned', data: { from: null, to: userId, auto: true } }],
            cap,
          }
        : undefined,
    );
    return events.length > 0 ? ticket : 'taken';
  } catch (error) {
    if (error instanceof Refused && error.reason === 'cap') return 'full';
    throw error;
  }
}

// Presence look-ups at once: a support team is small, and each is one Query.
const concurrency = 8;

/** Active agents and admins who are online now, with their open tickets. */
async function availableAgents(now = new Date()): Promise<Candidate[]> {
  const agents = (await listStaffUsers()).filter((user) => isAgentRole(user.role) && statusOf(user) === 'active');
  const presences = await mapLimited(agents, concurrency, (user) => presenceOfUser(user, now));
  const online = agents.filter((_, i) => presences[i] === 'online');
  const workloads = await getWorkloads(online.map((user) => user.id));
  return online.map((user) => ({ userId: user.id, presence: 'online', ...(workloads.get(user.id) ?? { open: 0 }) }));
}
