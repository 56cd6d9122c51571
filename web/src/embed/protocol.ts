// The messages between /embed.js (on the host's page) and the /embed frame (on Atende's origin). Any window may
// post a message to either side, so each reads only messages from the window it expects on an origin it trusts:
// the script trusts Atende's origin (where it was loaded from), the frame trusts the configured host origins.
import type { DocumentRef } from '../api/types.js';

/** host → frame */
export type HostMessage =
  | { type: 'atende:hello'; locale?: string }
  | { type: 'atende:open'; documentRef?: DocumentRef }
  | { type: 'atende:close' }
  /** The answer to a token request: the host's platform token, or '' when its function failed. */
  | { type: 'atende:token'; id: number; token: string };

/** frame → host */
export type FrameMessage =
  | { type: 'atende:ready' }
  /** The person closed the panel inside the frame (its × or Escape). */
  | { type: 'atende:closed' }
  | { type: 'atende:unread'; count: number }
  | { type: 'atende:chat'; ticketId: string; number: number }
  | { type: 'atende:token-request'; id: number };

type Message = { type: string } & Record<string, unknown>;

/** The message's data when it comes from the `expected` window on one of `origins`; undefined otherwise. */
export function messageFrom(
  event: Pick<MessageEvent, 'origin' | 'source' | 'data'>,
  expected: unknown,
  origins: readonly string[],
): Message | undefined {
  if (!expected || event.source !== expected || !origins.includes(event.origin)) return undefined;
  const data: unknown = event.data;
  if (!data || typeof data !== 'object') return undefined;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' && type.startsWith('atende:') ? (data as Message) : undefined;
}

/** The contract's fields of a host's documentRef, strings only; undefined without a type and an id. */
export function documentRefFrom(value: unknown): DocumentRef | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { type, id, title, url } = value as Record<string, unknown>;
  if (typeof type !== 'string' || typeof id !== 'string' || !type || !id) return undefined;
  return {
    type,
    id,
    ...(typeof title === 'string' && title ? { title } : {}),
    ...(typeof url === 'string' && url ? { url } : {}),
  };
}
