import type { User } from '../api/types.js';

export const isStaffRole = (role: User['role']): boolean => role === 'agent' || role === 'admin' || role === 'auditor';

/** Where a person lands after signing in. */
export function homeFor(user: User): string {
  return isStaffRole(user.role) ? '/agent' : '/tickets';
}
