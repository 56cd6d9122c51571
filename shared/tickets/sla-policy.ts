// The deployment's SLA policy: what staff read and admins set, and what every ticket change measures its
// clock by (shared/tickets/transaction.ts).
import { isStaff, type Principal } from '../domain/roles.js';
import { defaultSlaPolicy, type SlaPolicy } from '../domain/sla/policy.js';
import { Forbidden } from '../errors.js';
import { getStoredSlaPolicy, putSlaPolicy } from '../store/sla.js';

/** The policy in force: the one an admin set, or the default (whose holidays follow the year of `now`). */
export async function currentSlaPolicy(now = new Date()): Promise<SlaPolicy> {
  return (await getStoredSlaPolicy()) ?? defaultSlaPolicy(now);
}

export async function getSlaPolicy(principal: Principal): Promise<SlaPolicy> {
  if (!isStaff(principal)) throw new Forbidden();
  return currentSlaPolicy();
}

/**
 * Replaces the policy. Tickets take it on their next change: due times already set stay as they were
 * promised, as in Zendesk, where a policy edit applies to tickets as they are next updated.
 */
export async function setSlaPolicy(principal: Principal, policy: SlaPolicy, now = new Date()): Promise<SlaPolicy> {
  if (principal.role !== 'admin') throw new Forbidden();
  await putSlaPolicy(policy, principal.userId, now);
  return policy;
}
