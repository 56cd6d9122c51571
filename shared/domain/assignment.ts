// Presence and auto-assignment (api.md, "Presence and auto-assignment"): whether an agent is available, the
// deployment's assignment policy, which tickets count against an agent, and the choice of the agent a waiting
// ticket goes to. Pure: no I/O.
import * as z from '../zod.js';
import type { Status } from './tickets.js';

/** What an agent says of themselves (PUT /me/presence). */
export const presenceChoices = ['online', 'away'] as const;
export type PresenceChoice = (typeof presenceChoices)[number];
/** What staff see of an agent: their choice while they hold a connection, `offline` without one. */
export type Presence = PresenceChoice | 'offline';

export const PresenceBody = z.strictObject({ status: z.enum(presenceChoices) });

/** An agent who never chose is online while connected: opening the console is coming to work. */
export const presenceOf = (choice: PresenceChoice | undefined, connected: boolean): Presence =>
  connected ? (choice ?? 'online') : 'offline';

export const assignmentModes = ['manual', 'round_robin'] as const;
export type AssignmentMode = (typeof assignmentModes)[number];

export const maxOpenPerAgentLimit = 100;

export const AssignmentPolicyBody = z.strictObject({
  mode: z.enum(assignmentModes),
  maxOpenPerAgent: z.number().check(z.int(), z.gte(1), z.lte(maxOpenPerAgentLimit)),
});
export type AssignmentPolicy = z.output<typeof AssignmentPolicyBody>;

export const defaultAssignmentPolicy: AssignmentPolicy = { mode: 'manual', maxOpenPerAgent: 5 };

const finished: ReadonlySet<Status> = new Set(['resolved', 'closed']);

/**
 * The agent whose open tickets a ticket counts among: its assignee until it is resolved or closed (a ticket
 * waiting for the customer is still on the agent's desk).
 */
export const holderOf = (ticket: { assigneeId?: string; status: Status }): string | undefined =>
  ticket.assigneeId !== undefined && !finished.has(ticket.status) ? ticket.assigneeId : undefined;

/** A ticket nobody has yet, still to be answered: what round-robin hands out. */
export const awaitsAssignment = (ticket: { assigneeId?: string; status: Status }): boolean =>
  ticket.assigneeId === undefined && (ticket.status === 'new' || ticket.status === 'open');

/** An agent as round-robin weighs them. */
export interface Candidate {
  userId: string;
  presence: Presence;
  /** Tickets the agent holds now (holderOf). */
  open: number;
  /** When the agent was last given a ticket; absent: never. */
  lastAssignedAt?: string;
}

/**
 * The agents a waiting ticket may go to, best first: online, under the cap, fewest open tickets, then the
 * longest idle (never given one first), then by id so that the order is the same for every caller.
 */
export function pickOrder(candidates: readonly Candidate[], maxOpenPerAgent: number): string[] {
  return candidates
    .filter((c) => c.presence === 'online' && c.open < maxOpenPerAgent)
    .sort(
      (a, b) =>
        a.open - b.open ||
        compareIdle(a.lastAssignedAt, b.lastAssignedAt) ||
        (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
    )
    .map((c) => c.userId);
}

const compareIdle = (a: string | undefined, b: string | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
};
