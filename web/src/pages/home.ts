import { isAgentRole } from '../../../shared/domain/roles.js';
import type { User } from '../api/types.js';

/** Where a person lands after signing in. */
export function homeFor(user: User): string {
  return isAgentRole(user.role) ? '/agent' : '/tickets';
}
