import { staffRoles } from '../api/rules.js';
import type { User } from '../api/types.js';

export const isStaffRole = (role: User['role']): boolean => (staffRoles as readonly string[]).includes(role);

/** Agents and admins answer chats; auditors only read. */
export const isAgentRole = (role: User['role']): boolean => role === 'agent' || role === 'admin';

/** Where a person lands after signing in. */
export function homeFor(user: User): string {
  return isAgentRole(user.role) ? '/agent' : '/tickets';
}
