// How a ticket change is written: one transaction of guarded writes (the ticket at the version read, or an
// append that only checks the timeline; its events; what follows from it), a refusal mapped to its reason,
// and the pushes after it commits.
import { config } from '../config.js';
import { holderOf } from '../domain/assignment.js';
import type { AttachmentRecord } from '../domain/attachments.js';
import type { Audience } from '../domain/audience.js';
import { type EventDraft, stampEvents, type TicketEvent } from '../domain/events.js';
import { recipientsOf } from '../domain/notifications.js';
import { type ReportedTicket, stampReported } from '../domain/reports.js';
import { isAgent, type Principal } from '../domain/roles.js';
import type { SlaPolicy } from '../domain/sla/policy.js';
import { planSla, sameSla } from '../domain/sla/ticket-sla.js';
import type { TicketRecord } from '../domain/tickets.js';
import { Conflict, Unavailable, ValidationFailed } from '../errors.js';
import { logger } from '../observability/logger.js';
import { holdItem, releaseItem } from '../store/assignment.js';
import { attachItem } from '../store/attachments.js';
import { conditionFailed, type TransactItem, transact, transactionBusy } from '../store/dynamo.js';
import { putEventItem } from '../store/events.js';
import { tellItem } from '../store/notifications.js';
import {
  appendTicketItem,
  getTicketRecord,
  membershipItems,
  putTicketItem,
  type TicketAppend,
} from '../store/tickets.js';
import { publishChange, type Sender } from './publish.js';
import { visibleRecord } from './reads.js';
import { reportWrites } from './report-writes.js';
import { retryLostRaces } from './retry.js';
import { currentSlaPolicy } from './sla-policy.js';

export const senderOf = (connectionId: string | undefined, replied: readonly TicketEvent[]): Sender | undefined =>
  connectionId === undefined ? undefined : { connectionId, replied };

/** Why a transaction was refused, for the items whose condition can fail for a reason the caller handles. */
type Reason = 'stale' | 'counter' | 'idempotency' | 'attachments' | 'clientMessage' | 'cap';

export class Refused extends Error {
  constructor(readonly reason: Reason | 'busy') {
    super(`transaction refused: ${reason}`);
  }
}

interface Write {
  item: TransactItem;
  reason?: Reason;
}

export async function commit(writes: readonly Write[]): Promise<void> {
  try {
    await transact(writes.map((w) => w.item));
  } catch (error) {
    const failed = writes.find((w, i) => w.reason !== undefined && conditionFailed(error, i));
    if (failed?.reason) throw new Refused(failed.reason);
    if (transactionBusy(error)) throw new Refused('busy');
    throw error;
  }
}

export const attachmentsTaken = () =>
  ValidationFailed.of('attachmentIds', 'an attachment was attached somewhere else meanwhile');

export const attachWrites = (
  files: readonly AttachmentRecord[],
  ticketId: string,
  principal: Principal,
  audience: Audience = 'everyone',
): Write[] =>
  files.map((file) => ({
    item: attachItem(file, ticketId, principal.userId, audience),
    reason: 'attachments' as const,
  }));

/**
 * A request sent again while the first is still running (a client retrying with the same idempotency key or
 * client message id) finds its files taken — by its twin, which committed first. So before a refusal of the
 * files stands, the twin's result is looked for (`replay`), and if there is one, that is the answer. The
 * transactions claim the key before the files, so that a twin's claim is the refusal they report first.
 */
export async function replayedOr<T>(error: unknown, replay: () => Promise<T | undefined>): Promise<T> {
  const refusal = error instanceof Refused && error.reason === 'attachments' ? attachmentsTaken() : error;
  if (refusal instanceof ValidationFailed || (error instanceof Refused && error.reason === 'clientMessage')) {
    const raced = await replay();
    if (raced) return raced;
  }
  throw refusal;
}

/**
 * A change either gives the ticket as it will be (`next`, written only if still at the version read), or
 * only adds to it (`append`: a message, files), which needs no version (store/tickets.ts appendTicketItem).
 */
type Change = {
  drafts: EventDraft[];
  /** More guarded writes of the same transaction, which may depend on the events' ids. */
  extra?: (events: TicketEvent[]) => Write[];
  /** Auto-assignment: the new holder's open tickets must stay under this, or the change is `Refused('cap')`. */
  cap?: number;
} & ({ next: TicketRecord } | { append: TicketAppend });

/**
 * Reads the ticket, plans the change against it and writes the ticket, its events and the items that follow
 * from it (assignment, queue) in one transaction conditioned on the version read (or, for an append, on the
 * timeline). Lost races are retried; with `expectedVersion` (the client's `if-match`) a ticket at another
 * version is a 409 instead.
 */
export async function applyChange(
  principal: Principal,
  ticketId: string,
  plan: (ticket: TicketRecord, now: Date) => Change | undefined,
  options: { expectedVersion?: number; first?: TicketRecord; connectionId?: string; clock?: () => Date } = {},
): Promise<{ ticket: TicketRecord; events: TicketEvent[] }> {
  const lostRace = (error: unknown) =>
    error instanceof Refused && (error.reason === 'stale' || error.reason === 'busy');
  const exhausted = () => new Unavailable('the ticket (too many changes at once)');
  // Read once per change, and only for a ticket with a clock.
  let policy: Promise<SlaPolicy> | undefined;
  const slaPolicy = () => {
    policy ??= currentSlaPolicy();
    return policy;
  };
  return retryLostRaces({ lostRace, exhausted }, async (attempt) => {
    const before = attempt === 0 && options.first ? options.first : await visibleRecord(principal, ticketId);
    const now = options.clock?.() ?? new Date();
    const change = plan(before, now);
    if (options.expectedVersion !== undefined && before.version !== options.expectedVersion) {
      throw new Conflict(`the ticket is at version ${before.version}, not ${options.expectedVersion}; reload it`);
    }
    if (!change || change.drafts.length === 0) return { ticket: before, events: [] };
    const events = stampEvents(change.drafts, before.id, principal, before.lastEventId, now);
    const stamp = { updatedAt: now.toISOString(), lastEventId: events[events.length - 1]?.id ?? before.lastEventId };
    const changed: TicketRecord =
      'next' in change
        ? { ...change.next, ...stamp, version: before.version + 1 }
        : {
            ...before,
            ...stamp,
            ...(change.append.lastMessageAt ? { lastMessageAt: change.append.lastMessageAt } : {}),
            attachments: [...before.attachments, ...change.append.attachments],
            version: before.version + 1,
          };
    const staffAnswered = isAgent(principal) && change.drafts.some((draft) => draft.type === 'message');
    const planned = stampReported(before, changed, now, staffAnswered);
    // The SLA clock follows every change (priority, status, a first staff answer); tickets from before
    // there was a clock have none. The figures (reportWrites) read the clock as this change leaves it.
    const sla = before.sla && planSla(await slaPolicy(), planned, now, staffAnswered);
    const clocked: ReportedTicket = sla ? { ...planned, sla } : planned;
    // An append moves the clock only with the first staff answer; then it is written like any change, at the
    // version read, so no concurrent change to the clock (a breach the job recorded) is lost.
    const rewrite = 'next' in change || !sameSla(sla, before.sla);
    // Which agent the ticket counts against follows every rewrite (an append changes neither status nor assignee).
    const after: ReportedTicket = rewrite ? withHolder(clocked) : clocked;
    try {
      await commit([
        {
          item:
            'next' in change || rewrite
              ? putTicketItem(after, before.version)
              : appendTicketItem(before.id, { ...change.append, ...stamp }),
          reason: 'stale',
        },
        ...events.map((event) => ({ item: putEventItem(event) })),
        ...membershipItems(before, after).map((item) => ({ item })),
        ...tellWrites(before, after, events, now),
        ...holdingWrites(before, after, now, change.cap),
        ...(change.extra?.(events) ?? []),
        ...reportWrites(before, after, events),
      ]);
    } catch (error) {
      if (error instanceof Refused && error.reason === 'attachments') throw attachmentsTaken();
      throw error;
    }
    const stored = rewrite ? after : await storedAfterAppend(after);
    // The sender's reply (message.ack) carries the change's first event.
    await publishChange(before, stored, events, senderOf(options.connectionId, events.slice(0, 1)));
    return { ticket: stored, events };
  });
}

const withHolder = (ticket: ReportedTicket): ReportedTicket => {
  const { heldBy: _was, ...rest } = ticket;
  const heldBy = holderOf(ticket);
  return heldBy === undefined ? rest : { ...rest, heldBy };
};

/**
 * The agents' counts of open tickets (store/assignment.ts) move with the ticket that moves between them, in
 * its transaction; with `cap` (auto-assignment) the new holder's count must be under it.
 */
function holdingWrites(before: TicketRecord, after: TicketRecord, now: Date, cap: number | undefined): Write[] {
  if (before.heldBy === after.heldBy) return [];
  return [
    ...(before.heldBy === undefined ? [] : [{ item: releaseItem(before.heldBy) }]),
    ...(after.heldBy === undefined
      ? []
      : [{ item: holdItem(after.heldBy, now, cap), ...(cap === undefined ? {} : { reason: 'cap' as const }) }]),
  ];
}

/**
 * The batches (store/notifications.ts) that tell people of `events`, written with them so that no change
 * is stored without its notification, and before the pushes that may mark it seen.
 */
function tellWrites(before: TicketRecord, after: TicketRecord, events: readonly TicketEvent[], now: Date): Write[] {
  const told = new Set(events.flatMap((event) => recipientsOf(after, event)));
  const lastEventId = events[events.length - 1]?.id;
  if (told.size === 0 || lastEventId === undefined) return [];
  const dueAt = new Date(now.getTime() + config.notifyBatchSeconds * 1000);
  return [...told].map((userId) => ({
    item: tellItem(after.id, userId, { afterEventId: before.lastEventId, lastEventId, dueAt }),
  }));
}

/**
 * The ticket as stored after an append: other appends may have committed in between (an append does not
 * check the version), so `after` may be behind. Only for the push, which never fails the write it follows.
 */
async function storedAfterAppend(after: TicketRecord): Promise<TicketRecord> {
  try {
    return (await getTicketRecord(after.id)) ?? after;
  } catch (error) {
    logger.warn('ticket not read back after an append; pushing it as this write left it', {
      ticketId: after.id,
      error: error as Error,
    });
    return after;
  }
}
