// Opening a ticket (the portal's form, or a chat's first message): the ticket with the next number, its
// first events, its search words, its files and the idempotency record, in one transaction.
import { ulid } from 'ulid';
import { type AttachmentRecord, attachmentView } from '../domain/attachments.js';
import { type EventDraft, stampEvents } from '../domain/events.js';
import type { ReportedTicket } from '../domain/reports.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { indexWords, maxIndexedWords } from '../domain/search.js';
import { planSla } from '../domain/sla/ticket-sla.js';
import { type Channel, type CreateTicketInput, type Ticket, type TicketRecord, ticketView } from '../domain/tickets.js';
import { Conflict, Forbidden, NotFound, Unavailable, ValidationFailed } from '../errors.js';
import { logger } from '../observability/logger.js';
import { ticketCreated } from '../observability/metrics.js';
import { advanceCounterItem, readCounter, ticketNumberCounter } from '../store/counters.js';
import { putEventItem } from '../store/events.js';
import { getGroup } from '../store/groups.js';
import { findIdempotencyRecord, idempotencyItem, requestHash } from '../store/idempotency.js';
import { getTicketRecord, membershipItems, putTicketItem, putWordItems, wordItems } from '../store/tickets.js';
import { ungroupedTicketsItem } from '../store/users.js';
import { assignNewTicket } from './assignment.js';
import { releaseUploads, takeUploads } from './attachments.js';
import { publishChange } from './publish.js';
import { reportWrites } from './report-writes.js';
import { retryLostRaces } from './retry.js';
import { currentSlaPolicy } from './sla-policy.js';
import { attachWrites, commit, Refused, replayedOr, senderOf } from './transaction.js';

export interface CreateOptions {
  /** The client's `idempotency-key`: the same key and input within 24 h give the same ticket. */
  idempotencyKey?: string;
  /** `portal` (the form) or `chat` (`chat.start`, whose first message is also the first `message` event). */
  channel?: Channel;
  /** The WebSocket connection that asked (chat), which gets a reply instead of the pushes. */
  connectionId?: string;
  /** The time the ticket is opened at (a service-level test replays past days). */
  clock?: () => Date;
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
  const lostRace = (error: unknown) =>
    error instanceof Refused &&
    (error.reason === 'counter' || error.reason === 'idempotency' || error.reason === 'busy');
  const exhausted = () => new Unavailable('ticket numbering (too many tickets opened at once)');
  const policy = await currentSlaPolicy();
  return retryLostRaces({ lostRace, exhausted }, async (attempt) => {
    if (attempt > 0) {
      const raced = await replay();
      if (raced) return raced;
    }
    const counter = await readCounter(ticketNumberCounter);
    const now = options.clock?.() ?? new Date();
    const id = ulid(now.getTime());
    const drafts: EventDraft[] = [
      { type: 'created', data: { ...opened, attachments } },
      // A chat's first message carries its files, as every later message does (docs/api.md, "Files in chat").
      ...(channel === 'chat' ? [{ type: 'message' as const, data: { body: input.description, attachments } }] : []),
    ];
    const events = stampEvents(drafts, id, principal, undefined, now);
    const sla = planSla(
      policy,
      { createdAt: now.toISOString(), priority: opened.priority, status: opened.status },
      now,
    );
    const record: ReportedTicket = {
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
      followerIds: [],
      words: indexWords(input.subject, input.description),
      lastEventId: events[events.length - 1]?.id ?? id,
      sla,
      // Its figures are kept from the start (domain/reports.ts).
      reported: true,
    };
    try {
      await commit([
        { item: putTicketItem(record) },
        { item: advanceCounterItem(counter, now), reason: 'counter' },
        ...events.map((event) => ({ item: putEventItem(event) })),
        ...membershipItems(undefined, record).map((item) => ({ item })),
        // Their ticket list reads their own tickets beside their groups' from now on (store/search.ts).
        ...(record.groupId === undefined ? [{ item: ungroupedTicketsItem(principal.userId) }] : []),
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
        ...reportWrites(undefined, record, events),
      ]);
    } catch (error) {
      if (lostRace(error)) throw error;
      return await replayedOr(error, replay);
    }
    await indexWordsBeyond(record);
    await releaseUploads(files);
    // The sender's reply (chat.started) carries the whole new timeline.
    await publishChange(undefined, record, events, senderOf(options.connectionId, events));
    ticketCreated(channel);
    return { ticket: ticketView(await assignNewTicket(record)), replayed: false };
  });
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
