// A ticket's timeline as the client holds it, and where following it resumes. Pure: no DOM, no I/O.
//
// Event ids are ULIDs that grow in commit order (README, "Chat and live updates"), so ordering by id is
// ordering by time, and "everything after id X" is a complete answer to "what did I miss?". The same event
// may reach the client twice — in a `missed` list and as a push, or as an ack and as a push — so a
// timeline applies each id once.

/** The later of two event ids. */
export function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/**
 * Adds events to a timeline: each id once, ordered by id. Returns `current` itself when nothing is new,
 * so a state holder can tell that nothing changed.
 */
export function mergeEvents<E extends { id: string }>(current: readonly E[], incoming: readonly E[]): E[] {
  const known = new Set(current.map((e) => e.id));
  const fresh = new Map<string, E>();
  for (const event of incoming) if (!known.has(event.id) && !fresh.has(event.id)) fresh.set(event.id, event);
  if (fresh.size === 0) return current as E[];
  return [...current, ...fresh.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Where following one ticket stands. `after` is the id up to which every event has been received: the
 * `after` of the next `ticket.subscribe`. While catching up (a `ticket.subscribe` reply said `more`),
 * pushed events may lie beyond pages not read yet, so they are only remembered, and count once the last
 * page has come: the server subscribes before it reads, so by then nothing between them is missing.
 */
export interface Follow {
  after?: string;
  catchingUp: boolean;
  /** The newest event pushed (or acknowledged) while catching up. */
  pushed?: string;
}

export const follow = (after?: string): Follow => ({ after, catchingUp: false });

/** A `ticket.subscribe` is about to be sent (on subscribing, or again after every reconnection). */
export const startCatchingUp = (state: Follow): Follow => ({ after: state.after, catchingUp: true });

/** An event arrived outside a `missed` list: pushed, or the ack of a message this client sent. */
export function eventReceived(state: Follow, eventId: string): Follow {
  return state.catchingUp
    ? { ...state, pushed: latest(state.pushed, eventId) }
    : { ...state, after: latest(state.after, eventId) };
}

/**
 * A `ticket.subscribed` reply arrived. `again` says to subscribe once more with the new `after`: the
 * reply was cut (`more`) and carried something to continue from.
 */
export function pageReceived(
  state: Follow,
  reply: { missed: readonly { id: string }[]; more?: boolean },
): { state: Follow; again: boolean } {
  const after = latest(state.after, reply.missed.at(-1)?.id);
  if (reply.more && reply.missed.length > 0) return { state: { ...state, after }, again: true };
  return { state: { after: latest(after, state.pushed), catchingUp: false }, again: false };
}
