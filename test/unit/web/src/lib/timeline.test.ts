import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import {
  eventReceived,
  follow,
  latest,
  mergeEvents,
  pageReceived,
  resumeFrom,
  rewound,
  startCatchingUp,
} from '../../../../../web/src/lib/timeline.js';

// Ids as the server mints them: ULIDs, which sort as text in commit order.
const id = (n: number) => `01JZ${String(n).padStart(22, '0')}`;
const event = (n: number, body = `m${n}`) => ({ id: id(n), body });
const ids = (events: { id: string }[]) => events.map((e) => e.id);

describe('a timeline shown in the portal and the chat', () => {
  it('shows an event that came both in a missed list and as a push once, in its place', () => {
    const shown = mergeEvents([event(1), event(3)], [event(4), event(2), event(3)]);
    expect(ids(shown)).toEqual([id(1), id(2), id(3), id(4)]);
  });

  it('keeps what it showed when nothing new arrives, so nothing is drawn again', () => {
    const shown = [event(1), event(2)];
    expect(mergeEvents(shown, [event(2, 'a copy'), event(1)])).toBe(shown);
    expect(mergeEvents(shown, [])).toBe(shown);
  });

  it('ends the same, ordered by id with each id once, in whatever order and however often events arrive', () => {
    const arrivals = fc.array(fc.array(fc.integer({ min: 0, max: 40 }).map((n) => event(n))), { maxLength: 6 });
    fc.assert(
      fc.property(arrivals, (batches) => {
        const apply = (order: typeof batches) =>
          order.reduce<{ id: string }[]>((l, batch) => mergeEvents(l, batch), []);
        const expected = [...new Set(batches.flat().map((e) => e.id))].sort();
        expect(ids(apply(batches))).toEqual(expected);
        expect(ids(apply([...batches].reverse()))).toEqual(expected);
      }),
    );
  });
});

describe('following a ticket across reconnections', () => {
  it('asks again after the last event of a cut reply until the server says there is no more', () => {
    let state = startCatchingUp(follow(id(10)));
    const first = pageReceived(state, { missed: [event(11), event(12)], more: true });
    expect(first.again).toBe(true);
    expect(first.state.after).toBe(id(12));
    state = first.state;
    const last = pageReceived(state, { missed: [event(13)], more: false });
    expect(last.again).toBe(false);
    expect(last.state).toEqual({ after: id(13), catchingUp: false });
  });

  it('does not skip the pages not read yet when a newer event is pushed while catching up', () => {
    let state = startCatchingUp(follow(id(10)));
    // The server subscribed first, so a new message is pushed before the missed pages are all read.
    state = eventReceived(state, id(50));
    const first = pageReceived(state, { missed: [event(11), event(12)], more: true });
    expect(first.state.after).toBe(id(12));
    state = eventReceived(first.state, id(51));
    const last = pageReceived(state, { missed: [event(13)], more: false });
    // Caught up: everything up to the newest push has now arrived.
    expect(last.state).toEqual({ after: id(51), catchingUp: false });
  });

  it('resumes after a dropped connection from the last event it has everything up to', () => {
    let state = startCatchingUp(follow(id(10)));
    state = eventReceived(state, id(50));
    state = pageReceived(state, { missed: [event(11)], more: true }).state;
    // The connection drops here; the next subscribe continues after 11, not after the push of 50.
    state = startCatchingUp(state);
    expect(state).toEqual({ after: id(11), catchingUp: true });
  });

  it('resumes from a minute before the newest event it holds, so a push overtaken by a later one is not lost', () => {
    const earlier = ulid(Date.parse('2026-11-26T10:00:00.000Z'));
    const later = ulid(Date.parse('2026-11-26T10:00:00.200Z'));
    // The later event's push came first; the connection dropped before the earlier one's arrived.
    const state = startCatchingUp(eventReceived(follow(), later));
    const from = resumeFrom(state) as string;
    expect(from < earlier).toBe(true);
    expect(from >= ulid(Date.parse('2026-11-26T09:59:00.000Z'))).toBe(true);
    // The overlap comes back cut: the next page continues from its last event, inside the overlap.
    const page = pageReceived(state, { missed: [{ id: earlier }], more: true });
    expect(page).toMatchObject({ again: true, continueAfter: earlier, state: { after: later } });
  });

  it('rewinds an id by exactly the given time, to the smallest id of that millisecond', () => {
    const at = Date.parse('2026-11-26T10:00:00.000Z');
    expect(rewound(ulid(at), 1_000)).toBe(`${ulid(at - 1_000).slice(0, 10)}${'0'.repeat(16)}`);
    expect(rewound(ulid(at), 0) <= ulid(at)).toBe(true);
  });

  it('moves on with every push and acknowledgement once caught up', () => {
    let state = pageReceived(startCatchingUp(follow()), { missed: [event(1)], more: false }).state;
    state = eventReceived(state, id(2));
    expect(state.after).toBe(id(2));
    state = eventReceived(state, id(1));
    expect(state.after).toBe(id(2));
  });

  it('stops asking when a cut reply carries nothing to continue from', () => {
    const reply = pageReceived(startCatchingUp(follow(id(3))), { missed: [], more: true });
    expect(reply).toEqual({ state: { after: id(3), catchingUp: false }, again: false });
  });

  it('starts from the whole timeline when nothing was loaded before', () => {
    expect(follow()).toEqual({ after: undefined, catchingUp: false });
    expect(latest(undefined, id(1))).toBe(id(1));
    expect(latest(id(2), id(1))).toBe(id(2));
  });
});
