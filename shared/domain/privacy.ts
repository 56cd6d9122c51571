// A person's data under the LGPD (api.md, "A person's data (LGPD)"): what an erasure puts in place of what
// identified someone, the shapes of the erasure job and of the retention policy. Pure: no I/O.

import * as z from '../zod.js';
import type { Attachment } from './attachments.js';
import type { Actor, EventDraft } from './events.js';
import type { TicketRecord } from './tickets.js';

/** The name an erased person keeps, so that timelines keep an event "by" someone and reports their numbers. */
export const erasedName = 'Pessoa removida';
/** What replaces a message, a note, a description or a rating's comment they wrote. */
export const erasedText = 'Conteúdo removido a pedido do titular dos dados.';
/** What replaces a ticket subject they wrote. */
export const erasedSubject = 'Chamado anonimizado';
/** What replaces the name of a file they sent (the file itself is deleted). */
export const erasedFileName = 'arquivo-removido';

/**
 * The address an erased profile keeps: no one's, and undeliverable (`.invalid` is reserved, RFC 2606), so
 * nothing is ever sent to it and it cannot sign in (its e-mail index item is gone).
 */
export const erasedEmail = (userId: string): string => `removida-${userId.toLowerCase()}@atende.invalid`;

export const erasedActor = (actor: Actor): Actor => ({ ...actor, name: erasedName });

const erasedFile = (file: Attachment): Attachment => ({ ...file, fileName: erasedFileName });

/** Files keep their place (id, type, size: what counts) under a neutral name, when `erase(file)` says so. */
export const eraseFiles = (files: readonly Attachment[], erase: (file: Attachment) => boolean): Attachment[] =>
  files.map((file) => (erase(file) ? erasedFile(file) : file));

/**
 * An event's `data` without the words and file names of whoever wrote it; what it counts (scores, statuses,
 * who was assigned, by id) stays, so timelines keep their shape and reports their numbers.
 */
export function erasedEventData(event: EventDraft): EventDraft['data'] {
  switch (event.type) {
    case 'created':
      return {
        ...event.data,
        subject: erasedSubject,
        description: erasedText,
        attachments: eraseFiles(event.data.attachments, () => true),
        ...(event.data.documentRef ? { documentRef: { type: 'removed', id: 'removed' } } : {}),
      };
    case 'message':
    case 'note':
      return { ...event.data, body: erasedText, attachments: eraseFiles(event.data.attachments, () => true) };
    case 'attachment_added':
      return { attachments: eraseFiles(event.data.attachments, () => true) };
    case 'satisfaction': {
      const { comment: _comment, ...rest } = event.data;
      return rest;
    }
    default:
      return event.data;
  }
}

/**
 * A ticket without what identifies `userId`: their files' names and their follow always; as its requester,
 * their name and address; where they wrote or requested it, its subject, description and search words.
 */
export function erasedTicket(record: TicketRecord, userId: string, wrote: boolean): TicketRecord {
  const requester = record.requesterId === userId;
  const { documentRef: _documentRef, ...rest } = record;
  return {
    ...(wrote || requester ? rest : record),
    ...(wrote || requester ? { subject: erasedSubject, description: erasedText, words: [] } : {}),
    ...(requester ? { requesterName: erasedName, requesterEmail: erasedEmail(userId) } : {}),
    attachments: eraseFiles(record.attachments, (file) => file.uploadedBy === userId),
    followerIds: (record.followerIds ?? []).filter((id) => id !== userId),
  };
}

/**
 * A ticket anonymized by the retention policy: nothing of anyone's in it, as if each of its customers had
 * been erased (staff keep their names, as the company's own).
 */
export function anonymizedTicket(record: TicketRecord): TicketRecord {
  return {
    ...erasedTicket(record, record.requesterId, true),
    attachments: eraseFiles(record.attachments, () => true),
  };
}

/** What an erasure changed, item by item; a rerun of a step counts nothing twice (api.md: `counts`). */
export const erasureCountNames = ['events', 'tickets', 'files', 'mail', 'invites', 'memberships', 'sessions'] as const;
export type ErasureCounts = Record<(typeof erasureCountNames)[number], number>;
export const noCounts = (): ErasureCounts =>
  Object.fromEntries(erasureCountNames.map((name) => [name, 0])) as ErasureCounts;

/**
 * The steps of an erasure, in order: each walks one index of the person's items in bounded pages, and the
 * job remembers the step and the page it reached, so a run that stops resumes where it was.
 */
export const erasureSteps = ['events', 'tickets', 'files', 'mail', 'profile'] as const;
export type ErasureStep = (typeof erasureSteps)[number];

export type ErasureStatus = 'pending' | 'done';

/** The contract's `erasure`. */
export interface Erasure {
  id: string;
  userId: string;
  status: ErasureStatus;
  counts: ErasureCounts;
}

/** The job as stored: the contract's fields, who asked and why, and where it is. */
export interface ErasureJob extends Erasure {
  requestedBy: string;
  reason: string;
  createdAt: string;
  doneAt?: string;
  step: ErasureStep;
  /** Where the step's index walk goes on (DynamoDB's LastEvaluatedKey), absent at a step's start. */
  cursor?: Record<string, unknown>;
}

export const erasureView = (job: ErasureJob): Erasure => ({
  id: job.id,
  userId: job.userId,
  status: job.status,
  counts: job.counts,
});

export const EraseBody = z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)) });
export const ErasureParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

/** Ten years at most: a policy is about closed tickets, and a typo of extra digits should not pass. */
export const maxRetentionDays = 3650;

export interface RetentionPolicy {
  /** Closed tickets older than this many days (since closing) are anonymized; absent: never. */
  closedTicketAnonymizeAfterDays?: number;
}

export const RetentionPolicyBody = z.strictObject({
  closedTicketAnonymizeAfterDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(maxRetentionDays))),
});

/** The closing time before which a closed ticket is due for anonymizing under `policy`; undefined: none is. */
export function anonymizeClosedBefore(policy: RetentionPolicy, now: Date): string | undefined {
  const days = policy.closedTicketAnonymizeAfterDays;
  return days === undefined ? undefined : new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
}
