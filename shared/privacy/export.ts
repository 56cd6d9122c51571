// A person's data export (api.md, "A person's data (LGPD)"): one JSON document of everything Atende holds
// about them, as they themselves may see it (an admin's export of someone is that person's own view). It is
// assembled by Queries on the person's keys, a page at a time, and written out as it goes: small, it is
// answered inline; past `inlineBytes` it goes to the bucket part by part (store/exports.ts) and the answer is
// a link. Memory holds a page of items and one part, however much the person wrote.
//
// Not in it: tokens of any kind (only hashes are stored, and not even those are shown), passwords. Sessions
// carry their times only: Atende does not store where a session signed in from; the source IPs it keeps are
// those of recent failed sign-ins to the person's address (the lockout's counters, kept 15 minutes).
import { ulid } from 'ulid';
import { type AttachmentRecord, attachmentView } from '../domain/attachments.js';
import type { TicketEvent } from '../domain/events.js';
import type { Principal } from '../domain/roles.js';
import { canSeeTicket, type TicketRecord, ticketView } from '../domain/tickets.js';
import { type GroupRef, principalOf, type User, userView } from '../domain/users.js';
import { visibleEvents } from '../domain/visibility.js';
import { NotFound } from '../errors.js';
import { attachmentKeys, presignDownload, toRecord } from '../store/attachments.js';
import { eventKeys, queryEvents, toEvent } from '../store/events.js';
import { type ObjectWriter, presignExport, startExportObject } from '../store/exports.js';
import { inviteKeys } from '../store/invites.js';
import { loginAttemptKeys } from '../store/login-attempts.js';
import { type Cursor, indexPage, partitionPage } from '../store/privacy.js';
import { sessionEnd, sessionKeys } from '../store/sessions.js';
import { getTicketRecords, ticketIndexes } from '../store/tickets.js';
import { getAccess, userKeys } from '../store/users.js';

/** Above this many bytes the document goes to the bucket: well under API Gateway's and Lambda's 6 MB. */
export const inlineBytes = 256 * 1024;

export type ExportAnswer = { export: unknown } | { downloadUrl: string };

/**
 * Collects the document's text: in memory while it is small, then in the bucket. Pieces are written in
 * order, so the JSON is built as it is read.
 */
class DocumentSink {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private object?: ObjectWriter;

  constructor(
    private readonly userId: string,
    private readonly id: string,
    private readonly limit: number,
  ) {}

  async write(text: string): Promise<void> {
    const chunk = Buffer.from(text, 'utf8');
    if (this.object) return this.object.write(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes <= this.limit) return;
    this.object = await startExportObject(this.userId, this.id);
    const held = Buffer.concat(this.held);
    this.held = [];
    await this.object.write(held);
  }

  async finish(fileName: string): Promise<ExportAnswer> {
    if (!this.object) return { export: JSON.parse(Buffer.concat(this.held).toString('utf8')) };
    await this.object.finish();
    return { downloadUrl: await presignExport(this.userId, this.id, fileName) };
  }

  async abort(): Promise<void> {
    await this.object?.abort();
  }
}

/** Writes a JSON array, element by element. */
async function writeArray<T>(
  sink: DocumentSink,
  name: string,
  pages: AsyncIterable<readonly T[]>,
  show: (item: T) => Promise<unknown> | unknown,
): Promise<void> {
  await sink.write(`,${JSON.stringify(name)}:[`);
  let first = true;
  for await (const page of pages) {
    for (const item of page) {
      const shown = await show(item);
      if (shown === undefined) continue;
      await sink.write(`${first ? '' : ','}${JSON.stringify(shown)}`);
      first = false;
    }
  }
  await sink.write(']');
}

/** Every page of a walk, one at a time. */
async function* pagesOf<T>(read: (cursor: Cursor | undefined) => Promise<{ items: T[]; next?: Cursor }>) {
  let cursor: Cursor | undefined;
  do {
    const page = await read(cursor);
    yield page.items;
    cursor = page.next;
  } while (cursor);
}

/** The signed-in person's own export. */
export function exportOwnData(principal: Principal, options: { inlineLimit?: number } = {}): Promise<ExportAnswer> {
  return exportPersonData(principal.userId, options);
}

/** `userId`'s export, as they would see it; 404 for no such person. */
export async function exportPersonData(
  userId: string,
  options: { inlineLimit?: number; now?: Date } = {},
): Promise<ExportAnswer> {
  const access = await getAccess(userId);
  if (!access) throw new NotFound('user');
  const { user, groups } = access;
  const now = options.now ?? new Date();
  const id = ulid(now.getTime());
  const sink = new DocumentSink(userId, id, options.inlineLimit ?? inlineBytes);
  try {
    await writeDocument(sink, user, groups, now);
    return await sink.finish(`atende-dados-${userId}.json`);
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

async function writeDocument(sink: DocumentSink, user: User, groups: readonly GroupRef[], now: Date): Promise<void> {
  const principal = principalOf(user, groups);
  const view = userView(user, groups);
  await sink.write(`{"generatedAt":${JSON.stringify(now.toISOString())}`);
  await sink.write(
    `,"profile":${JSON.stringify({
      ...view,
      locale: user.locale,
      ...(user.platformSubject ? { platformSubject: user.platformSubject } : {}),
    })}`,
  );
  await sink.write(`,"memberships":${JSON.stringify(view.groups)}`);
  await sink.write(`,"notificationSettings":${JSON.stringify(view.notifications)}`);
  const { pk } = userKeys.profile(user.id);
  await writeArray(
    sink,
    'sessions',
    pagesOf((cursor) => partitionPage(pk, sessionKeys.session(user.id, '').sk, cursor)),
    (item) => ({
      startedAt: String(item.createdAt),
      endsBy: new Date(sessionEnd(String(item.sessionId))).toISOString(),
    }),
  );
  const attempts = loginAttemptKeys.attempts(user.email, '');
  await writeArray(
    sink,
    'failedSignIns',
    pagesOf((cursor) => partitionPage(attempts.pk, attempts.sk, cursor)),
    (item) => ({ sourceIp: String(item.sk).slice(attempts.sk.length), attempts: Number(item.count ?? 0) }),
  );
  // Their own events: what they wrote (messages, and notes for staff), their ratings, and what they followed.
  const followed = new Set<string>();
  const ratings: TicketEvent[] = [];
  await writeArray(
    sink,
    'messages',
    pagesOf((cursor) => indexPage(eventKeys.byActor(user.id), cursor)),
    (item) => {
      const event = toEvent(item);
      if (event.type === 'follower_added') followed.add(event.ticketId);
      if (event.type === 'satisfaction') ratings.push(event);
      return event.type === 'message' || event.type === 'note' ? event : undefined;
    },
  );
  await sink.write(`,"ratings":${JSON.stringify(ratings)}`);
  await writeArray(
    sink,
    'files',
    pagesOf((cursor) => indexPage(attachmentKeys.byUploader(user.id), cursor)),
    async (item) => {
      const record: AttachmentRecord = toRecord(item);
      return {
        ...attachmentView(record),
        ...(record.ticketId ? { ticketId: record.ticketId } : {}),
        downloadUrl: await presignDownload(record),
      };
    },
  );
  await writeArray(
    sink,
    'invitations',
    pagesOf((cursor) => indexPage(inviteKeys.to(user.email), cursor)),
    (item) => {
      const { tokenHash: _hash, outboxId: _outbox, pk: _pk, sk: _sk, type: _type, ...invite } = item;
      return Object.fromEntries(Object.entries(invite).filter(([key]) => !key.startsWith('gsi')));
    },
  );
  // Tickets they opened, then those they follow (and did not open), each with its timeline as they see it.
  await sink.write(',"tickets":[');
  const opened = new Set<string>();
  let first = true;
  const writeTicket = async (record: TicketRecord) => {
    if (!canSeeTicket(principal, record)) return;
    const shown = JSON.stringify(ticketView(record));
    await sink.write(`${first ? '' : ','}${shown.slice(0, -1)},"events":[`);
    first = false;
    await writeTimeline(sink, principal, record.id);
    await sink.write(']}');
  };
  for await (const page of pagesOf((cursor) => indexPage(ticketIndexes.requester(user.id), cursor))) {
    const ids = page.map((item) => String(item.id));
    for (const ticketId of ids) opened.add(ticketId);
    for (const record of await getTicketRecords(ids)) await writeTicket(record);
  }
  const others = [...followed].filter((ticketId) => !opened.has(ticketId));
  for (let i = 0; i < others.length; i += 25) {
    for (const record of await getTicketRecords(others.slice(i, i + 25))) {
      if ((record.followerIds ?? []).includes(user.id)) await writeTicket(record);
    }
  }
  await sink.write(']}');
}

/** A ticket's timeline as `principal` may see it, a page at a time, as the elements of a JSON array. */
async function writeTimeline(sink: DocumentSink, principal: Principal, ticketId: string): Promise<void> {
  let after: string | undefined;
  let first = true;
  for (;;) {
    const { items, more } = await queryEvents(ticketId, after, 100);
    for (const event of visibleEvents(principal.role, items)) {
      await sink.write(`${first ? '' : ','}${JSON.stringify(event)}`);
      first = false;
    }
    after = items[items.length - 1]?.id;
    if (!more || after === undefined) return;
  }
}
