// One-time WebSocket connection tickets: a signed-in client asks for one over HTTP and presents it at
// `$connect`, so no long-lived token ever travels in a URL.
import type { Principal } from '../domain/roles.js';
import { putConnectionTicket, takeConnectionTicket } from '../store/connection-tickets.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-tokens.js';

export const connectionTicketSeconds = 30;

export async function issueConnectionTicket(
  principal: Principal,
  now = new Date(),
): Promise<{ ticket: string; expiresIn: number }> {
  const { token, hash } = newOpaqueToken();
  await putConnectionTicket(hash, principal, new Date(now.getTime() + connectionTicketSeconds * 1000));
  return { ticket: token, expiresIn: connectionTicketSeconds };
}

/** The principal the ticket stands for, once; undefined for an unknown, used or expired ticket. */
export function redeemConnectionTicket(ticket: string, now = new Date()): Promise<Principal | undefined> {
  return takeConnectionTicket(hashOpaqueToken(ticket), now);
}
