// Whether a staff member is available (api.md, "Presence and auto-assignment"): the presence they chose,
// while they hold a WebSocket connection. Being connected is holding one of the person's connection slots
// (store/connection-slots.ts), the same items that keep the limit of connections per person.
import { type Presence, presenceOf } from '../domain/assignment.js';
import { isStaffRole } from '../domain/roles.js';
import type { User } from '../domain/users.js';
import { heldSlots } from '../store/connection-slots.js';
import { epochSeconds } from '../store/dynamo.js';

/** A staff member's presence at `now` (one consistent Query of their slots); undefined for anyone else. */
export async function presenceOfUser(
  user: Pick<User, 'id' | 'role' | 'presence'>,
  now = new Date(),
): Promise<Presence | undefined> {
  if (!isStaffRole(user.role)) return undefined;
  const connected = (await heldSlots(user.id, epochSeconds(now))).size > 0;
  return presenceOf(user.presence, connected);
}
