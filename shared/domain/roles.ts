export const roles = ['customer', 'platform_user', 'agent', 'admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: what the authorizer hands every handler (HTTP) or stores on the connection (WebSocket). */
export interface Principal {
  userId: string;
  role: Role;
  groupIds: string[];
  name: string;
  email: string;
  /**
   * The revision of the person's access this principal was issued under (shared/domain/users.ts,
   * `accessRevision`); a principal from an older revision is refused on its next request.
   */
  accessRevision?: number;
}

/** Support staff: they see every ticket. */
export const isStaff = (p: Principal): boolean => p.role === 'agent' || p.role === 'admin' || p.role === 'auditor';
/** Staff who may act (auditors only read). */
export const isAgent = (p: Principal): boolean => p.role === 'agent' || p.role === 'admin';
