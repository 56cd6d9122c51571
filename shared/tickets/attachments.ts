// Evidence files: presigned uploads, the checks that run when a file is attached, and downloads.
import { ulid } from 'ulid';
import {
  type Attachment,
  type AttachmentRecord,
  attachmentView,
  type CreateAttachmentInput,
  pendingUploadSeconds,
  uploadViolation,
} from '../domain/attachments.js';
import type { Principal } from '../domain/roles.js';
import { canSeeTicket, canWrite, isUlid } from '../domain/tickets.js';
import { reaches } from '../domain/visibility.js';
import { type ErrorDetail, Forbidden, NotFound, ValidationFailed } from '../errors.js';
import { logger } from '../observability/logger.js';
import {
  deleteAttachment,
  deleteUpload,
  getAttachment,
  headUpload,
  keepUpload,
  presignDownload,
  presignUpload,
  putPendingAttachment,
} from '../store/attachments.js';
import { getTicketRecord } from '../store/tickets.js';

export interface Upload {
  attachment: Attachment;
  /** A presigned POST: the browser sends `fields` and then the file as a multipart form to `url`. */
  upload: { url: string; fields: Record<string, string> };
}

export async function createUpload(
  principal: Principal,
  input: CreateAttachmentInput,
  now = new Date(),
): Promise<Upload> {
  if (!canWrite(principal)) throw new Forbidden();
  const record: AttachmentRecord = {
    id: ulid(now.getTime()),
    ...input,
    uploadedBy: principal.userId,
    createdAt: now.toISOString(),
    status: 'pending',
  };
  await putPendingAttachment(record, new Date(now.getTime() + pendingUploadSeconds * 1000));
  return { attachment: attachmentView(record), upload: await presignUpload(record) };
}

/**
 * The uploads `ids` (by their position in the request's `attachmentIds`) if each is the caller's, waiting to
 * be attached, and really stored as declared. A stored file that breaks its declaration or the limits is
 * deleted. Verified files are copied to where attached files live; the transaction that attaches them
 * (attachItem) still checks they were not taken meanwhile.
 */
export async function takeUploads(
  principal: Principal,
  ids: readonly string[],
  now = new Date(),
): Promise<AttachmentRecord[]> {
  if (ids.length === 0) return [];
  const records = await Promise.all(ids.map((id) => getAttachment(id, now)));
  const refused: ErrorDetail[] = [];
  records.forEach((record, i) => {
    if (!record || record.uploadedBy !== principal.userId || record.status !== 'pending') {
      refused.push({ path: `attachmentIds.${i}`, issue: 'no upload of yours with this id is waiting to be attached' });
    }
  });
  if (refused.length > 0) throw new ValidationFailed(refused);
  const pending = records as AttachmentRecord[];
  await Promise.all(
    pending.map(async (record, i) => {
      const stored = await headUpload(record.id);
      if (!stored) {
        refused.push({ path: `attachmentIds.${i}`, issue: 'the file has not been uploaded yet' });
        return;
      }
      const violation = uploadViolation(record, stored);
      if (violation) {
        await deleteUpload(record.id);
        await deleteAttachment(record.id);
        refused.push({ path: `attachmentIds.${i}`, issue: `${violation}; it was deleted` });
      }
    }),
  );
  if (refused.length > 0) throw new ValidationFailed(refused.sort((a, b) => (a.path < b.path ? -1 : 1)));
  try {
    await Promise.all(pending.map((record) => keepUpload(record.id)));
  } catch (error) {
    // Attaching a file removes its upload (releaseUploads): a copy that failed because the file was attached
    // meanwhile is refused like a file attached before.
    const again = await Promise.all(pending.map((record) => getAttachment(record.id, now)));
    const taken = again.flatMap((record, i) =>
      record?.status === 'pending' ? [] : [{ path: `attachmentIds.${i}`, issue: 'attached somewhere else meanwhile' }],
    );
    if (taken.length > 0) throw new ValidationFailed(taken);
    throw error;
  }
  return pending;
}

/** After the attaching transaction: the uploads' originals are no longer needed (the lifecycle would get them). */
export async function releaseUploads(records: readonly AttachmentRecord[]): Promise<void> {
  await Promise.all(
    records.map((record) =>
      deleteUpload(record.id).catch((error: Error) =>
        logger.warn('upload not deleted', { attachmentId: record.id, error }),
      ),
    ),
  );
}

/**
 * A short-lived download link, for anyone who can see the file's ticket (or, before it is attached, for the
 * person who uploaded it). Anyone else is told it does not exist.
 */
export async function downloadAttachment(
  principal: Principal,
  id: string,
  now = new Date(),
): Promise<{ attachment: Attachment; downloadUrl: string }> {
  const record = isUlid(id) ? await getAttachment(id, now) : undefined;
  if (!record || !(await maySee(principal, record))) throw new NotFound('attachment');
  return { attachment: attachmentView(record), downloadUrl: await presignDownload(record) };
}

async function maySee(principal: Principal, record: AttachmentRecord): Promise<boolean> {
  if (record.status !== 'attached' || !record.ticketId) return record.uploadedBy === principal.userId;
  if (!reaches(principal.role, record.audience ?? 'everyone')) return false;
  const ticket = await getTicketRecord(record.ticketId);
  return ticket !== undefined && canSeeTicket(principal, ticket);
}
