// Tickets: what the portal's routes and the chat's WebSocket actions call. Each operation checks who may
// do it (404 for a ticket the caller cannot see, before anything else), writes the change and its timeline
// events in one transaction — conditioned on the version it read, or for a message or files only on the
// timeline still ending below its new event — and then pushes them to subscribers.
//
// For the chat (functions/ws/…): createTicket with `channel: 'chat'`, postMessage with `clientMessageId`,
// getVisibleTicket, listEvents (with `after`) and listQueue.

import { ulid } from 'ulid';
import { createInvite } from '../auth/invitations.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { type AttachmentRecord, attachmentView, maxAttachmentsPerTicket } from '../domain/attachments.js';
import { type EventDraft, stampEvents, type TicketEvent } from '../domain/events.js';
import type { InviteView } from '../domain/invites.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { indexWords, matchesWords, maxIndexedWords, queryWords } from '../domain/search.js';
import {
  type Channel,
  type CreateTicketInput,
  canSeeTicket,
  canWrite,
  isUlid,
  type ListEventsInput,
  type ListTicketsInput,
  type MessageInput,
  matchesFilters,
  planPatch,
  statusAfterMessage,
  statusChanged,
  statusesMovedByMessage,
  type Ticket,
  type TicketPatch,
  type TicketRecord,
  ticketView,
  Ulid,
} from '../domain/tickets.js';
import { accessRequestTopic } from '../domain/topics.js';
import { Conflict, Forbidden, NotFound, Unavailable, ValidationFailed } from '../errors.js';
import { logger } from '../observability/logger.js';
import { messagePosted, ticketCreated } from '../observability/metrics.js';
import { attachItem } from '../store/attachments.js';
import { advanceCounterItem, readCounter } from '../store/counters.js';
import { conditionFailed, epochSeconds, type TransactItem, transact, transactionBusy } from '../store/dynamo.js';
import { getEvent, putEventItem, queryEvents } from '../store/events.js';
import { getGroup } from '../store/groups.js';
import { findIdempotencyRecord, idempotencyItem, requestHash } from '../store/idempotency.js';
import {
  firstPosition,
  pageTickets,
  positionPattern,
  queuedTickets,
  sourcesFor,
  ticketNumberCounter,
} from '../store/search.js';
import {
  appendTicketItem,
  clientMessageItem,
  clientMessageSeconds,
  findClientMessage,
  getTicketRecord,
  membershipItems,
  putTicketItem,
  putWordItems,
  type TicketAppend,
  wordItems,
} from '../store/tickets.js';
import { getUser } from '../store/users.js';
import * as z from '../zod.js';
import { releaseUploads, takeUploads } from './attachments.js';
import { publishChange, type Sender } from './publish.js';

/**
 * Tries of a write that lost a race (another change to the ticket, or to the ticket counter). A burst of
 * people writing on one ticket at once must not cost anyone a message: each lost race waits a random time
 * up to a ceiling that doubles (to `maxPauseMs`), so racers spread out instead of colliding again —
 * together at most a few seconds, well within a request's time.
 */
const maxAttempts = 16;
const firstPauseMs = 8;
const maxPauseMs = 250;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(maxPauseMs, firstPauseMs * 2 ** attempt)));

const senderOf = (connectionId: string | undefined, replied: readonly TicketEvent[]): Sender | undefined =>
  connectionId === undefined ? undefined : { connectionId, replied };

// ---- Reading -----------------------------------------------------------------------------------------

async function visibleRecord(principal: Principal, ticketId: string): Promise<TicketRecord> {
  const record = isUlid(ticketId) ? await getTicketRecord(ticketId) : undefined;
  if (!record || !canSeeTicket(principal, record)) throw new NotFound('ticket');
  return record;
}

/** The ticket, if `principal` may see it; otherwise 404, whether or not it exists. */
export async function getVisibleTicket(principal: Principal, ticketId: string): Promise<Ticket> {
  return ticketView(await visibleRecord(principal, ticketId));
}

const ListPosition = z.strictObject({ p: z.string().check(z.regex(positionPattern)) });

/** Tickets `principal` may see, newest first, narrowed by the filters and the words of `q`. */
export async function listTickets(
  principal: Principal,
  input: ListTicketsInput,
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const { cursor, limit, q, ...filters } = input;
  const words = q === undefined ? undefined : queryWords(q);
  if (q !== undefined && words === undefined) throw ValidationFailed.of('q', 'needs at least one letter or digit');
  // A cursor continues only the list it came from: the same person, the same filters.
  const context = `tickets\n${principal.userId}\n${requestHash({ ...filters, q })}`;
  const position = cursor ? (await decodeCursor(cursor, context, ListPosition)).p : firstPosition(new Date());
  if (words?.length === 0) return { items: [], nextCursor: null };
  const page = await pageTickets(
    sourcesFor(principal, filters, words),
    (ticket) =>
      matchesFilters(principal, ticket, filters) && (words === undefined || matchesWords(ticket.words, words)),
    position,
    limit,
  );
  return {
    items: page.items.map(ticketView),
    nextCursor: page.next === undefined ? null : await encodeCursor({ p: page.next }, context),
  };
}

const EventPosition = z.strictObject({ a: Ulid });

/** A ticket's timeline, oldest first, after the event `after` (exclusive) or where `cursor` says. */
export async function listEvents(
  principal: Principal,
  ticketId: string,
  input: Partial<ListEventsInput> = {},
): Promise<{ items: TicketEvent[]; nextCursor: string | null }> {
  await visibleRecord(principal, ticketId);
  const context = `events\n${ticketId}`;
  const after = input.cursor ? (await decodeCursor(input.cursor, context, EventPosition)).a : input.after;
  const { items, more } = await queryEvents(ticketId, after, input.limit ?? 50);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? await encodeCursor({ a: last.id }, context) : null };
}

/** Chats waiting for an agent, oldest first. */
export async function listQueue(principal: Principal): Promise<Ticket[]> {
  if (!isAgent(principal)) throw new Forbidden();
  return (await queuedTickets(100)).map(ticketView);
}

// ---- Writing -----------------------------------------------------------------------------------------

/** Why a transaction was refused, for the items whose condition can fail for a reason the caller handles. */
type Reason = 'stale' | 'counter' | 'idempotency' | 'attachments' | 'clientMessage';

class Refused extends Error {
  constructor(readonly reason: Reason | 'busy') {
    super(`transaction refused: ${reason}`);
  }
}

interface Write {
  item: TransactItem;
  reason?: Reason;
}

async function commit(writes: readonly Write[]): Promise<void> {
  try {
    await transact(writes.map((w) => w.item));
  } catch (error) {
    const failed = writes.find((w, i) => w.reason !== undefined && conditionFailed(error, i));
    if (failed?.reason) throw new Refused(failed.reason);
    if (transactionBusy(error)) throw new Refused('busy');
    throw error;
  }
}

const attachmentsTaken = () =>
  ValidationFailed.of('attachmentIds', 'an attachment was attached somewhere else meanwhile');

const attachWrites = (files: readonly AttachmentRecord[], ticketId: string, principal: Principal): Write[] =>
  files.map((file) => ({ item: attachItem(file, ticketId, principal.userId), reason: 'attachments' as const }));

/**
 * A request sent again while the first is still running (a client retrying with the same idempotency key or
 * client message id) finds its files taken — by its twin, which committed first. So before a refusal of the
 * files stands, the twin's result is looked for (`replay`), and if there is one, that is the answer. The
 * transactions claim the key before the files, so that a twin's claim is the refusal they report first.
 */
async function replayedOr<T>(error: unknown, replay: () => Promise<T | undefined>): Promise<T> {
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
} & ({ next: TicketRecord } | { append: TicketAppend });

/**
 * Reads the ticket, plans the change against it and writes the ticket, its events and the items that follow
 * from it (assignment, queue) in one transaction conditioned on the version read (or, for an append, on the
 * timeline). Lost races are retried; with `expectedVersion` (the client's `if-match`) a ticket at another
 * version is a 409 instead.
 */
async function applyChange(
  principal: Principal,
  ticketId: string,
  plan: (ticket: TicketRecord, now: Date) => Change | undefined,
  options: { expectedVersion?: number; first?: TicketRecord; connectionId?: string } = {},
): Promise<{ ticket: TicketRecord; events: TicketEvent[] }> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const before = attempt === 0 && options.first ? options.first : await visibleRecord(principal, ticketId);
    const now = new Date();
    const change = plan(before, now);
    if (options.expectedVersion !== undefined && before.version !== options.expectedVersion) {
      throw new Conflict(`the ticket is at version ${before.version}, not ${options.expectedVersion}; reload it`);
    }
    if (!change || change.drafts.length === 0) return { ticket: before, events: [] };
    const events = stampEvents(change.drafts, before.id, principal, before.lastEventId, now);
    const stamp = { updatedAt: now.toISOString(), lastEventId: events[events.length - 1]?.id ?? before.lastEventId };
    const after: TicketRecord =
      'next' in change
        ? { ...change.next, ...stamp, version: before.version + 1 }
        : {
            ...before,
            ...stamp,
            ...(change.append.lastMessageAt ? { lastMessageAt: change.append.lastMessageAt } : {}),
            attachments: [...before.attachments, ...change.append.attachments],
            version: before.version + 1,
          };
    try {
      await commit([
        {
          item:
            'next' in change
              ? putTicketItem(after, before.version)
              : appendTicketItem(before.id, { ...change.append, ...stamp }),
          reason: 'stale',
        },
        ...events.map((event) => ({ item: putEventItem(event) })),
        ...membershipItems(before, after).map((item) => ({ item })),
        ...(change.extra?.(events) ?? []),
      ]);
    } catch (error) {
      if (error instanceof Refused && (error.reason === 'stale' || error.reason === 'busy')) {
        await pause(attempt);
        continue;
      }
      if (error instanceof Refused && error.reason === 'attachments') throw attachmentsTaken();
      throw error;
    }
    const stored = 'next' in change ? after : await storedAfterAppend(after);
    // The sender's reply (message.ack) carries the change's first event.
    await publishChange(before, stored, events, senderOf(options.connectionId, events.slice(0, 1)));
    return { ticket: stored, events };
  }
  throw new Unavailable('the ticket (too many changes at once)');
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

export interface CreateOptions {
  /** The client's `idempotency-key`: the same key and input within 24 h give the same ticket. */
  idempotencyKey?: string;
  /** `portal` (the form) or `chat` (`chat.start`, whose first message is also the first `message` event). */
  channel?: Channel;
  /** The WebSocket connection that asked (chat), which gets a reply instead of the pushes. */
  connectionId?: string;
}

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * Opens a ticket: the ticket with the next number, its `created` event (and for a chat its first message),
 * its search words, its files and the idempotency record, all in one transaction.
 */
export async function createTicket(
  principal: Principal,
  input: CreateTicketInput,
  options: CreateOptions = {},
): Promise<{ ticket: Ticket; replayed: boolean }> {
  const channel = options.channel ?? 'portal';
  if (principal.role === 'auditor' || (principal.role === 'platform_user' && channel !== 'chat')) throw new Forbidden();
  await assertMayOpenIn(principal, input.groupId, channel);
  const key = options.idempotencyKey;
  if (key !== undefined && !idempotencyKeyPattern.test(key)) {
    throw ValidationFailed.of('idempotency-key', 'use 1–255 printable ASCII characters');
  }
  const scope = `ticket.create#${principal.userId}`;
  const fingerprint = requestHash({ channel, ...input });
  const replay = async (): Promise<{ ticket: Ticket; replayed: boolean } | undefined> => {
    if (key === undefined) return undefined;
    const record = await findIdempotencyRecord(scope, key, new Date());
    if (!record) return undefined;
    if (record.requestHash !== fingerprint) throw new Conflict('this idempotency-key was used for another request');
    const ticket = await getTicketRecord(record.resultId);
    if (!ticket) throw new Unavailable('the ticket of this idempotency-key');
    return { ticket: ticketView(ticket), replayed: true };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  let files: AttachmentRecord[];
  try {
    files = await takeUploads(principal, input.attachmentIds ?? []);
  } catch (error) {
    return await replayedOr(error, replay);
  }
  const attachments = files.map((file) => attachmentView(file));
  // What the ticket starts as: its record and its `created` event both say it.
  const opened = {
    subject: input.subject,
    description: input.description,
    topic: input.topic,
    priority: input.priority ?? 'normal',
    status: 'new',
    channel,
    ...(input.groupId ? { groupId: input.groupId } : {}),
    ...(input.documentRef ? { documentRef: input.documentRef } : {}),
  } as const;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) {
      const raced = await replay();
      if (raced) return raced;
    }
    const counter = await readCounter(ticketNumberCounter);
    const now = new Date();
    const id = ulid(now.getTime());
    const drafts: EventDraft[] = [
      { type: 'created', data: { ...opened, attachments } },
      ...(channel === 'chat' ? [{ type: 'message' as const, data: { body: input.description, attachments: [] } }] : []),
    ];
    const events = stampEvents(drafts, id, principal, undefined, now);
    const record: TicketRecord = {
      id,
      number: counter.value + 1,
      ...opened,
      requesterId: principal.userId,
      requesterName: principal.name,
      requesterEmail: principal.email,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
      ...(channel === 'chat' ? { lastMessageAt: now.toISOString() } : {}),
      attachments,
      words: indexWords(input.subject, input.description),
      lastEventId: events[events.length - 1]?.id ?? id,
    };
    try {
      await commit([
        { item: putTicketItem(record) },
        { item: advanceCounterItem(counter, now), reason: 'counter' },
        ...events.map((event) => ({ item: putEventItem(event) })),
        ...membershipItems(undefined, record).map((item) => ({ item })),
        ...wordItems(record, record.words.slice(0, maxIndexedWords)).map((item) => ({ item })),
        ...(key === undefined
          ? []
          : [
              {
                item: idempotencyItem(scope, key, { requestHash: fingerprint, resultId: id }, now),
                reason: 'idempotency' as const,
              },
            ]),
        ...attachWrites(files, id, principal),
      ]);
    } catch (error) {
      if (error instanceof Refused && ['counter', 'idempotency', 'busy'].includes(error.reason)) {
        await pause(attempt);
        continue;
      }
      return await replayedOr(error, replay);
    }
    await indexWordsBeyond(record);
    await releaseUploads(files);
    // The sender's reply (chat.started) carries the whole new timeline.
    await publishChange(undefined, record, events, senderOf(options.connectionId, events));
    ticketCreated(channel);
    return { ticket: ticketView(record), replayed: false };
  }
  throw new Unavailable('ticket numbering (too many tickets opened at once)');
}

/**
 * Makes the words beyond the first `maxIndexedWords` searchable, right after the ticket is created. A failure
 * leaves them unsearchable (a warning says so) but never fails the ticket, which is already stored.
 */
async function indexWordsBeyond(record: TicketRecord): Promise<void> {
  const beyond = record.words.slice(maxIndexedWords);
  if (beyond.length === 0) return;
  try {
    await putWordItems(record, beyond);
  } catch (error) {
    logger.warn('search words beyond the transaction not indexed', {
      ticketId: record.id,
      words: beyond.length,
      error: error as Error,
    });
  }
}

/** Customers open tickets in their own groups; staff in any group that exists; a chat may have no group. */
async function assertMayOpenIn(principal: Principal, groupId: string | undefined, channel: Channel): Promise<void> {
  if (groupId === undefined) {
    if (channel === 'chat') return;
    throw ValidationFailed.of('groupId', 'required');
  }
  if (isAgent(principal)) {
    if (!(await getGroup(groupId))) throw new NotFound('group');
    return;
  }
  if (principal.role !== 'customer' || !principal.groupIds.includes(groupId)) throw new NotFound('group');
}

/** `if-match: 3`, `"3"` or `W/"3"` → 3. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match) throw ValidationFailed.of('if-match', 'expected the ticket version, e.g. "3"');
  return Number(match[1]);
}

/** Changes status, priority, topic or assignee, as `principal`'s role allows (domain/tickets.ts planPatch). */
export async function updateTicket(
  principal: Principal,
  ticketId: string,
  patch: TicketPatch,
  options: { ifMatch?: string; connectionId?: string } = {},
): Promise<Ticket> {
  const expectedVersion = parseIfMatch(options.ifMatch);
  const first = await visibleRecord(principal, ticketId);
  if (!canWrite(principal)) throw new Forbidden();
  if (typeof patch.assigneeId === 'string' && patch.assigneeId !== first.assigneeId) {
    const assignee = await getUser(patch.assigneeId);
    if (!assignee || (assignee.role !== 'agent' && assignee.role !== 'admin')) {
      throw ValidationFailed.of('assigneeId', 'not an agent');
    }
  }
  const { ticket } = await applyChange(
    principal,
    ticketId,
    (current) => {
      const plan = planPatch(principal, current, patch);
      if (!plan.allowed) throw new Forbidden(`your role may not change ${plan.field} like this`);
      const { assigneeId, ...rest } = plan.changes;
      const next: TicketRecord = { ...current, ...rest };
      if (assigneeId !== undefined) next.assigneeId = assigneeId ?? undefined;
      return { next, drafts: plan.events };
    },
    { expectedVersion, first, connectionId: options.connectionId },
  );
  return ticketView(ticket);
}

/**
 * Adds a message (with files) to the timeline and sets `lastMessageAt`; an answer that moves the ticket
 * (domain/tickets.ts statusAfterMessage) records the status change in the same transaction. With
 * `clientMessageId`, sending the same id again returns the first message's event and stores nothing.
 */
export async function postMessage(
  principal: Principal,
  ticketId: string,
  input: MessageInput,
  options: { connectionId?: string } = {},
): Promise<{ event: TicketEvent; replayed: boolean }> {
  const first = await visibleRecord(principal, ticketId);
  if (!canWrite(principal)) throw new Forbidden();
  const { clientMessageId } = input;
  const replay = async () => {
    if (clientMessageId === undefined) return undefined;
    const eventId = await findClientMessage(ticketId, principal.userId, clientMessageId);
    const event = eventId === undefined ? undefined : await getEvent(ticketId, eventId);
    return event && { event, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  let files: AttachmentRecord[];
  try {
    files = await takeUploadsFor(principal, first, input.attachmentIds ?? []);
  } catch (error) {
    return await replayedOr(error, replay);
  }
  const attachments = files.map((file) => attachmentView(file));
  try {
    const { events } = await applyChange(
      principal,
      ticketId,
      (current, now) => {
        const lastMessageAt = now.toISOString();
        const message: EventDraft = {
          type: 'message',
          data: { body: input.body, attachments, ...(clientMessageId === undefined ? {} : { clientMessageId }) },
        };
        const moved = statusAfterMessage(principal.role, current.status);
        return {
          ...(moved === undefined
            ? {
                append: { lastMessageAt, attachments, statusNotIn: statusesMovedByMessage(principal.role) },
                drafts: [message],
              }
            : {
                next: {
                  ...current,
                  status: moved,
                  lastMessageAt,
                  attachments: [...current.attachments, ...attachments],
                },
                drafts: [message, statusChanged(current.status, moved)],
              }),
          extra: (stamped) => [
            ...(clientMessageId === undefined || !stamped[0]
              ? []
              : [
                  {
                    item: clientMessageItem(
                      ticketId,
                      principal.userId,
                      clientMessageId,
                      stamped[0].id,
                      epochSeconds(now) + clientMessageSeconds,
                    ),
                    reason: 'clientMessage' as const,
                  },
                ]),
            ...attachWrites(files, ticketId, principal),
          ],
        };
      },
      { first, connectionId: options.connectionId },
    );
    await releaseUploads(files);
    const [event] = events;
    if (!event) throw new Error('a message change produced no event');
    await messagePosted(principal, first, event);
    return { event, replayed: false };
  } catch (error) {
    return await replayedOr(error, replay);
  }
}

/** Attaches files to a ticket without a message: an `attachment_added` event. */
export async function attachFiles(
  principal: Principal,
  ticketId: string,
  attachmentIds: readonly string[],
): Promise<TicketEvent> {
  const first = await visibleRecord(principal, ticketId);
  if (!canWrite(principal)) throw new Forbidden();
  const files = await takeUploadsFor(principal, first, attachmentIds);
  const attachments = files.map((file) => attachmentView(file));
  const { events } = await applyChange(
    principal,
    ticketId,
    () => ({
      append: { attachments },
      drafts: [{ type: 'attachment_added', data: { attachments } }],
      extra: () => attachWrites(files, ticketId, principal),
    }),
    { first },
  );
  await releaseUploads(files);
  const [event] = events;
  if (!event) throw new Error('attaching files produced no event');
  return event;
}

async function takeUploadsFor(principal: Principal, ticket: TicketRecord, ids: readonly string[]) {
  if (ticket.attachments.length + ids.length > maxAttachmentsPerTicket) {
    throw ValidationFailed.of('attachmentIds', `a ticket holds at most ${maxAttachmentsPerTicket} files`);
  }
  return takeUploads(principal, ids);
}

/**
 * Grants what a `portal_access` ticket asks for: invites its requester to `groupId` (the invitation e-mail
 * goes out as for any invite) and records `access_granted`, in the invitation's own transaction.
 */
export async function grantAccess(principal: Principal, ticketId: string, groupId: string): Promise<InviteView> {
  const first = await visibleRecord(principal, ticketId);
  if (!isAgent(principal)) throw new Forbidden();
  if (first.topic !== accessRequestTopic) throw new Conflict(`only a ${accessRequestTopic} ticket grants access`);
  if (!first.requesterEmail) throw new Conflict('the requester has no e-mail address to invite');
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const before = attempt === 0 ? first : await visibleRecord(principal, ticketId);
    const now = new Date();
    // The event names the invite, whose id the invitation module gives when it writes it.
    let written: { inviteId: string; events: TicketEvent[]; after: TicketRecord } | undefined;
    let invite: InviteView;
    try {
      invite = await createInvite(
        principal,
        groupId,
        { email: before.requesterEmail, name: before.requesterName || undefined },
        {
          alongside: (created) => {
            const data = { groupId, email: before.requesterEmail, inviteId: created.id };
            const events = stampEvents(
              [{ type: 'access_granted', data }],
              before.id,
              principal,
              before.lastEventId,
              now,
            );
            const after = {
              ...before,
              version: before.version + 1,
              updatedAt: now.toISOString(),
              lastEventId: events[events.length - 1]?.id ?? before.lastEventId,
            };
            written = { inviteId: created.id, events, after };
            return [putTicketItem(after, before.version), ...events.map(putEventItem)];
          },
          now,
          // A second click answers the invitation the first made, without a second e-mail or event.
          reusePending: true,
        },
      );
    } catch (error) {
      // The only conditions that can fail here on a retry-worthy race are the ticket's version.
      if (conditionFailed(error) || transactionBusy(error)) {
        await pause(attempt);
        continue;
      }
      throw error;
    }
    // createInvite may have answered an earlier invitation after planning (and not writing) a new one.
    if (written?.inviteId === invite.id) await publishChange(before, written.after, written.events);
    return invite;
  }
  throw new Unavailable('the ticket (too many changes at once)');
}
