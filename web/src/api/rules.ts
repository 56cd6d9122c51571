// The contract's lists and limits the forms need before anything is sent. The server's modules that
// define them (shared/domain/tickets.ts, users.ts) also build zod schemas when they load, so importing a
// value from them would put zod in the bundle: these are copies, typed by the server's types and kept
// equal to the server's values by test/unit/web/src/api/rules.test.ts. (The file rules live in
// lib/files.ts, under the same test.)
import type { Priority, StaffRole, Status } from './types.js';

export const statuses = ['new', 'open', 'pending_customer', 'resolved', 'closed'] as const satisfies readonly Status[];
/** The support team's roles, in the order the staff page offers them. */
export const staffRoles = ['agent', 'admin', 'auditor'] as const satisfies readonly StaffRole[];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];

export const maxSubjectLength = 200;
/** Descriptions and message bodies. */
export const maxTextLength = 10_000;
export const minPasswordLength = 10;
