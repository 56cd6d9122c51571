// Internal notes: what agents write to each other on a ticket. A note is an event on the same timeline,
// for staff alone (domain/visibility.ts); its files are the ticket's too, but only staff may download them,
// and they stay off the ticket's own list of files, which its requester sees.
import { attachmentView } from '../domain/attachments.js';
import type { TicketEvent } from '../domain/events.js';
import { isAgent, type Principal } from '../domain/roles.js';
import type { NoteInput } from '../domain/tickets.js';
import { Forbidden } from '../errors.js';
import { releaseUploads, takeUploads } from './attachments.js';
import { visibleRecord } from './reads.js';
import { applyChange, attachWrites } from './transaction.js';

/**
 * Adds a note to the timeline. It changes neither the status nor `lastMessageAt` (both tell the requester
 * something happened) and is no first response.
 */
export async function postNote(principal: Principal, ticketId: string, input: NoteInput): Promise<TicketEvent> {
  if (!isAgent(principal)) throw new Forbidden();
  const first = await visibleRecord(principal, ticketId);
  // Not counted against the ticket's own list of files (they are not on it); the schema bounds each note's.
  const files = await takeUploads(principal, input.attachmentIds ?? []);
  const attachments = files.map((file) => attachmentView(file));
  const { events } = await applyChange(
    principal,
    ticketId,
    () => ({
      append: { attachments: [] },
      drafts: [{ type: 'note', data: { body: input.body, attachments } }],
      extra: () => attachWrites(files, ticketId, principal, 'staff'),
    }),
    { first },
  );
  await releaseUploads(files);
  const [event] = events;
  if (!event) throw new Error('a note produced no event');
  return event;
}
