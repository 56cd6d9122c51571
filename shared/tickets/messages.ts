// Adding to a ticket's timeline: a message (with files), or files alone.
import { type AttachmentRecord, attachmentView, maxAttachmentsPerTicket } from '../domain/attachments.js';
import type { EventDraft, TicketEvent } from '../domain/events.js';
import type { ReportedTicket } from '../domain/reports.js';
import { isAgent, type Principal } from '../domain/roles.js';
import {
  canWrite,
  type MessageInput,
  statusAfterMessage,
  statusChanged,
  statusesMovedByMessage,
  type TicketRecord,
} from '../domain/tickets.js';
import { Forbidden, ValidationFailed } from '../errors.js';
import { messagePosted } from '../observability/metrics.js';
import { epochSeconds } from '../store/dynamo.js';
import { getEvent } from '../store/events.js';
import { clientMessageItem, clientMessageSeconds, findClientMessage } from '../store/tickets.js';
import { releaseUploads, takeUploads } from './attachments.js';
import { visibleRecord } from './reads.js';
import { applyChange, attachWrites, replayedOr } from './transaction.js';

/**
 * Adds a message (with files) to the timeline and sets `lastMessageAt`; an answer that moves the ticket
 * (domain/tickets.ts statusAfterMessage) records the status change in the same transaction. With
 * `clientMessageId`, sending the same id again returns the first message's event and stores nothing.
 */
export async function postMessage(
  principal: Principal,
  ticketId: string,
  input: MessageInput,
  options: { connectionId?: string; clock?: () => Date } = {},
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
        // Staff's first answer is stamped on the ticket for the reports (domain/reports.ts stampReported),
        // so it is a versioned write: two first answers at once cannot both count.
        const firstAnswer = isAgent(principal) && (current as ReportedTicket).firstRespondedAt === undefined;
        return {
          ...(moved === undefined && !firstAnswer
            ? {
                append: { lastMessageAt, attachments, statusNotIn: statusesMovedByMessage(principal.role) },
                drafts: [message],
              }
            : {
                next: {
                  ...current,
                  status: moved ?? current.status,
                  lastMessageAt,
                  attachments: [...current.attachments, ...attachments],
                },
                drafts: moved === undefined ? [message] : [message, statusChanged(current.status, moved)],
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
      { first, connectionId: options.connectionId, clock: options.clock },
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
