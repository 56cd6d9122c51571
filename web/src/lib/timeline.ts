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

/**
 * Pushes of two events committed moments apart can arrive crossed (each commit fans out on its own), so
 * a connection that drops between them may have seen the later event and not the earlier one. Resuming
 * from a little before the newest event it holds re-reads that stretch; mergeEvents drops what it already
 * has. A push is late by at most its fan-out, which ends with the request (API Gateway's 30 s limit).
 */
export const resumeOverlapMs = 60_000;

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The smallest event id (ULID) minted `ms` before `id` was. */
export function rewound(id: string, ms = resumeOverlapMs): string {
  let time = 0;
  for (const char of id.slice(0, 10)) time = time * 32 + crockford.indexOf(char);
  let rest = Math.max(0, time - ms);
  let prefix = '';
  for (let i = 0; i < 10; i++) {
    prefix = crockford[rest % 32] + prefix;
    rest = Math.floor(rest / 32);
  }
  return prefix.padEnd(26, '0');
}

/** A `ticket.subscribe` is about to be sent (on subscribing, or again after every reconnection). */
export const startCatchingUp = (state: Follow): Follow => ({ after: state.after, catchingUp: true });

/** The `after` of that first `ticket.subscribe`: a little before the newest event held (see above). */
export const resumeFrom = (state: Follow): string | undefined => state.after && rewound(state.after);

/** An event arrived outside a `missed` list: pushed, or the ack of a message this client sent. */
export function eventReceived(state: Follow, eventId: string): Follow {
  return state.catchingUp
    ? { ...state, pushed: latest(state.pushed, eventId) }
    : { ...state, after: latest(state.after, eventId) };
}

/**
 * A `ticket.subscribed` reply arrived. `again` says to subscribe once more, after `continueAfter`: the
 * reply was cut (`more`) and carried something to continue from — which may lie before `after`, when the
 * reply re-reads the overlap of resumeFrom.
 */
export function pageReceived(
  state: Follow,
  reply: { missed: readonly { id: string }[]; more?: boolean },
): { state: Follow; again: false } | { state: Follow; again: true; continueAfter: string } {
  const last = reply.missed.at(-1)?.id;
  const after = latest(state.after, last);
  if (reply.more && last) return { state: { ...state, after }, again: true, continueAfter: last };
  return { state: { after: latest(after, state.pushed), catchingUp: false }, again: false };
}
