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
  /**
   * Whether they have asked for a ticket outside any group (a chat started without one), which their ticket
   * list must then read beside their groups'. Known for the principal as it stands now
   * (shared/auth/current-principal.ts); undefined, as in an access token, means it may be so.
   */
  ungroupedTickets?: boolean;
}

// The role sets, defined once: handlers authorize with them, the domain decides with them, and the web app
// (which may load this module: pure constants, no imports) shows and hides its pages with them.

/** Support staff: they see every ticket. */
export const staff = ['agent', 'admin', 'auditor'] as const satisfies readonly Role[];
/** Staff who may act: they answer, assign and change tickets (auditors only read). */
export const agents = ['agent', 'admin'] as const satisfies readonly Role[];
/** Who may write on a ticket they see (messages, changes, attachments): everyone but auditors. */
export const writers = ['customer', 'platform_user', 'agent', 'admin'] as const satisfies readonly Role[];
/** Who may open a ticket with the portal's form; a host platform's users open theirs by starting a chat. */
export const ticketOpeners = ['customer', 'agent', 'admin'] as const satisfies readonly Role[];

/** Who reads the reports (GET /reports/summary) and their dashboard. */
export const reportReaders = ['admin', 'auditor'] as const satisfies readonly Role[];

export const hasRole = (set: readonly Role[], role: Role): boolean => set.includes(role);
export type StaffRole = (typeof staff)[number];
export const isStaffRole = (role: Role): role is StaffRole => hasRole(staff, role);
export const isAgentRole = (role: Role): boolean => hasRole(agents, role);
export const isStaff = (p: Principal): boolean => isStaffRole(p.role);
export const isAgent = (p: Principal): boolean => isAgentRole(p.role);
