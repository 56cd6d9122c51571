// Erasing a person (api.md, "A person's data (LGPD)"). The request disables the person and ends every
// session, access token and connection of theirs at once (the revocation of "People over time",
// shared/auth/people.ts), in the transaction that records the erasure job; the scheduled job then walks the
// person's items step by step (domain/privacy.ts, erasureSteps), one bounded page at a time, and replaces
// what identifies them. The job stores where it is after each page, and every write it makes is conditioned
// on not having been made, so a run that stops anywhere is resumed by the next and counts nothing twice.
import { ulid } from 'ulid';
import { anotherActiveAdmin } from '../auth/people.js';
import type { TicketEvent } from '../domain/events.js';
import {
  type Erasure,
  type ErasureCounts,
  type ErasureJob,
  type ErasureStep,
  erasedActor,
  erasedEmail,
  erasedEventData,
  erasedName,
  erasedTicket,
  erasureSteps,
  erasureView,
  noCounts,
} from '../domain/privacy.js';
import type { Principal } from '../domain/roles.js';
import { statusOf, type User } from '../domain/users.js';
import { Conflict, NotFound } from '../errors.js';
import { logger } from '../observability/logger.js';
import { closeConnectionsOf } from '../realtime/connections.js';
import { attachmentKeys, deleteEveryVersion, deleteFileEverywhere } from '../store/attachments.js';
import { autoReplyKeys } from '../store/auto-replies.js';
import { conditionFailed, transact, transactionConflict } from '../store/dynamo.js';
import { eventKeys, toEvent } from '../store/events.js';
import { exportPrefix } from '../store/exports.js';
import { groupKeys } from '../store/groups.js';
import { inviteKeys } from '../store/invites.js';
import { loginAttemptKeys } from '../store/login-attempts.js';
import { outboxKeys } from '../store/outbox.js';
import {
  type Cursor,
  claimErasure,
  deleteItem,
  eraseEventItem,
  eraseGrantedAddress,
  eraseInviteItem,
  eraseProfileItem,
  finishErasure,
  getErasure,
  indexPage,
  newErasureItem,
  partitionPage,
  pendingErasureIds,
  saveErasureProgress,
} from '../store/privacy.js';
import { sessionKeys } from '../store/sessions.js';
import { suppressionKeys } from '../store/suppressions.js';
import { ticketIndexes } from '../store/tickets.js';
import { activeAdminCheck, getUser, profileChangeItem, userKeys } from '../store/users.js';
import { eraseOpeningEvent, eraseReportComment, rewriteTicket } from './tickets.js';

/**
 * An admin asks for `userId`'s erasure: the person is disabled and signed out everywhere now, and the job
 * is pending. Erasing the last active admin is refused (409), as disabling them is.
 */
export async function requestErasure(
  principal: Principal,
  userId: string,
  reason: string,
  now = new Date(),
): Promise<Pick<Erasure, 'id' | 'status'>> {
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(userId);
    if (!user) throw new NotFound('user');
    const job: ErasureJob = {
      id: ulid(now.getTime()),
      userId,
      status: 'pending',
      counts: noCounts(),
      requestedBy: principal.userId,
      reason,
      createdAt: now.toISOString(),
      step: erasureSteps[0],
    };
    const items = [profileChangeItem(user, { status: 'disabled', revokeAt: now }), newErasureItem(job)];
    if (user.role === 'admin' && statusOf(user) === 'active') {
      const other = await anotherActiveAdmin(user.id);
      if (other === undefined) throw new Conflict('this would leave no active admin');
      items.push(activeAdminCheck(other));
    }
    try {
      await transact(items);
    } catch (error) {
      if (!conditionFailed(error) && !transactionConflict(error)) throw error;
      if (conditionFailed(error, 2)) throw new Conflict('this would leave no active admin');
      if (attempt === 3) throw new Conflict('the person changed meanwhile');
      continue;
    }
    await closeConnectionsOf(userId);
    return { id: job.id, status: job.status };
  }
}

export async function getErasureView(id: string): Promise<Erasure> {
  const job = await getErasure(id);
  if (!job) throw new NotFound('erasure');
  return erasureView(job);
}

/** What one page of a step did: counts added, and where the step goes on (undefined: the step is over). */
interface PageResult {
  added: Partial<ErasureCounts>;
  next?: Cursor;
}

type StepRunner = (job: ErasureJob, user: User, now: Date) => Promise<PageResult>;

const steps: Record<ErasureStep, StepRunner> = {
  // Everything they did on timelines: their words, their name as actor, and the tickets those events touched
  // (their files' names there, their follow, the subject and description of what they opened).
  async events(job, user, now) {
    const page = await indexPage(eventKeys.byActor(user.id), job.cursor);
    let events = 0;
    let tickets = 0;
    const touched = new Map<string, boolean>();
    for (const item of page.items) {
      const event = toEvent(item);
      if (await eraseEvent(event, now)) events++;
      touched.set(event.ticketId, (touched.get(event.ticketId) ?? false) || event.type === 'created');
      if (event.type === 'satisfaction') await eraseReportComment(event);
    }
    for (const [ticketId, wrote] of touched) {
      if (await rewriteTicket(ticketId, (record) => erasedTicket(record, user.id, wrote))) tickets++;
    }
    return { added: { events, tickets }, next: page.next };
  },
  // The tickets opened for them (by an agent, or by e-mail and chat): their name, address and texts.
  async tickets(job, user, now) {
    const page = await indexPage(ticketIndexes.requester(user.id), job.cursor);
    let tickets = 0;
    let events = 0;
    for (const item of page.items) {
      const ticketId = String(item.id);
      if (await rewriteTicket(ticketId, (record) => erasedTicket(record, user.id, true))) tickets++;
      if (await eraseOpeningEvent(ticketId, now)) events++;
    }
    return { added: { tickets, events }, next: page.next };
  },
  // Their files: every version of each object, and the file's item.
  async files(job, user) {
    const page = await indexPage(attachmentKeys.byUploader(user.id), job.cursor);
    let files = 0;
    for (const item of page.items) {
      const id = String(item.id);
      await deleteFileEverywhere(id);
      if (await deleteItem(attachmentKeys.attachment(id))) files++;
    }
    // Their data exports still in the bucket (the lifecycle rule would take a day).
    if (!page.next) await deleteEveryVersion(exportPrefix(user.id));
    return { added: { files }, next: page.next };
  },
  // What names their address: e-mail owed or sent to it, invitations, access granted to it. Each leaves its
  // index as it is erased, so the walk always reads the first page.
  async mail(_job, user) {
    const email = user.email;
    const outbox = await indexPage(outboxKeys.to(email), undefined);
    let mail = 0;
    for (const item of outbox.items) if (await deleteItem(outboxKeys.item(String(item.id)))) mail++;
    const invites = await indexPage(inviteKeys.to(email), undefined);
    let invitesErased = 0;
    for (const item of invites.items) {
      await deleteItem(inviteKeys.latest((item.groupId as string | null | undefined) ?? null, email));
      if (await eraseInviteItem(inviteKeys.invite(String(item.id)), erasedEmail(user.id), erasedName)) invitesErased++;
    }
    const grants = await indexPage(eventKeys.grantedTo(email), undefined);
    let events = 0;
    for (const item of grants.items) {
      if (await eraseGrantedAddress({ pk: String(item.pk), sk: String(item.sk) }, erasedEmail(user.id))) events++;
    }
    const more = outbox.next || invites.next || grants.next;
    return { added: { mail, invites: invitesErased, events }, ...(more ? { next: {} } : {}) };
  },
  // Their memberships and sessions (a page at a time), then what is keyed by their address, then the profile.
  async profile(_job, user, now) {
    const { pk } = userKeys.profile(user.id);
    const groups = await partitionPage(pk, userKeys.groupsOfUser(user.id).skPrefix, undefined);
    let memberships = 0;
    for (const item of groups.items) {
      const groupId = String(item.groupId);
      await deleteItem(groupKeys.member(groupId, user.id));
      if (await deleteItem(userKeys.groupOfUser(user.id, groupId))) memberships++;
    }
    const sessions = await partitionPage(pk, sessionKeys.session(user.id, '').sk, undefined);
    let sessionsEnded = 0;
    for (const item of sessions.items) if (await deleteItem({ pk, sk: String(item.sk) })) sessionsEnded++;
    if (groups.next || sessions.next) return { added: { memberships, sessions: sessionsEnded }, next: {} };
    await eraseAddressItems(user.email);
    await eraseProfileItem(userKeys.profile(user.id), erasedName, erasedEmail(user.id), now);
    // Connections opened in the moment between the request's revocation and its closing them.
    await closeConnectionsOf(user.id);
    return { added: { memberships, sessions: sessionsEnded } };
  },
};

/** Replaces an event's words and its actor's name; false when an earlier run already did. */
function eraseEvent(event: TicketEvent, now: Date): Promise<boolean> {
  return eraseEventItem(
    eventKeys.event(event.ticketId, event.id),
    erasedActor(event.actor),
    erasedEventData(event),
    now,
  );
}

/** The items keyed by the address itself: its e-mail index, sign-in attempts, suppression, auto-reply marker. */
async function eraseAddressItems(email: string): Promise<void> {
  await deleteItem(userKeys.email(email));
  await deleteItem(suppressionKeys.item(email));
  await deleteItem(autoReplyKeys.sender(email));
  let cursor: Cursor | undefined;
  do {
    const { pk, sk: prefix } = loginAttemptKeys.attempts(email, '');
    const attempts = await partitionPage(pk, prefix, cursor);
    for (const item of attempts.items) await deleteItem({ pk: String(item.pk), sk: String(item.sk) });
    cursor = attempts.next;
  } while (cursor);
}

/** How long a run holds an erasure: past the job's 60-second timeout, so a run never overlaps another. */
const leaseSeconds = 90;

/**
 * Works on pending erasures for at most `budgetMs` (a run of the scheduled job), page by page; answers how
 * many it finished.
 */
export async function runErasures(
  options: { budgetMs?: number; maxPages?: number; clock?: () => Date } = {},
): Promise<{ finished: number; pages: number }> {
  const clock = options.clock ?? (() => new Date());
  const deadline = Date.now() + (options.budgetMs ?? 40_000);
  let pages = 0;
  let finished = 0;
  for (const id of await pendingErasureIds(10)) {
    if (!(await claimErasure(id, clock(), leaseSeconds))) continue;
    let job = await getErasure(id);
    const user = job && (await getUser(job.userId));
    if (!job || !user) continue;
    while (job.status === 'pending') {
      if (Date.now() > deadline || (options.maxPages !== undefined && pages >= options.maxPages)) {
        return { finished, pages };
      }
      const { added, next } = await steps[job.step](job, user, clock());
      pages++;
      const following: ErasureStep | undefined = erasureSteps[erasureSteps.indexOf(job.step) + 1];
      if (next) job = { ...job, cursor: next };
      else if (following) job = { ...job, step: following, cursor: undefined };
      await saveErasureProgress(job, added);
      if (!next && !following) {
        await finishErasure(job.id, clock());
        logger.info('erasure done', {
          erasureId: job.id,
          userId: job.userId,
          requestedBy: job.requestedBy,
          counts: (await getErasure(job.id))?.counts,
        });
        finished++;
        job = { ...job, status: 'done' };
      }
    }
  }
  return { finished, pages };
}
