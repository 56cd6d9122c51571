import * as z from '../zod.js';
import type { Audience } from './audience.js';
import { safeName } from './names.js';

/** Evidence files: at most 10 MiB each. */
export const maxAttachmentBytes = 10 * 1024 * 1024;
/** Files one ticket, message or attachment request may carry. */
export const maxAttachmentsPerRequest = 10;
/** Files one ticket may hold in all (they are listed on the ticket item, which must stay small). */
export const maxAttachmentsPerTicket = 100;
/** An upload that was never attached is forgotten after this long (the bucket's lifecycle removes the file). */
export const pendingUploadSeconds = 24 * 60 * 60;
/** How long a presigned upload form stays valid. */
export const uploadFormSeconds = 10 * 60;
/** How long a presigned download link stays valid (docs/api.md: 5 minutes). */
export const downloadLinkSeconds = 5 * 60;

/** The content types accepted (pdf, png, jpeg, xml, txt, csv, zip) and the file extensions each may carry. */
export const attachmentTypes = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'application/xml': ['xml'],
  'text/xml': ['xml'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
  // What browsers on Windows report for .zip files.
  'application/x-zip-compressed': ['zip'],
} as const satisfies Record<string, readonly string[]>;

export type AttachmentType = keyof typeof attachmentTypes;

const contentTypes = Object.keys(attachmentTypes) as [AttachmentType, ...AttachmentType[]];

// No path separators, nothing that hides what the name says (domain/names.ts): it is only ever shown and
// offered as a download name.
const FileName = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(255),
  safeName,
  z.refine((name) => !/[/\\]/.test(name), { error: 'must not contain slashes' }),
);

export const CreateAttachmentBody = z
  .strictObject({
    fileName: FileName,
    contentType: z.enum(contentTypes),
    size: z.number().check(z.int(), z.gte(1), z.lte(maxAttachmentBytes)),
  })
  .check(
    z.superRefine((body, ctx) => {
      const extension = body.fileName.toLowerCase().split('.').pop();
      const allowed: readonly string[] = attachmentTypes[body.contentType];
      if (!body.fileName.includes('.') || !allowed.includes(extension ?? '')) {
        ctx.addIssue({
          code: 'custom',
          path: ['fileName'],
          message: `a ${body.contentType} file must end in .${allowed.join(' or .')}`,
        });
      }
    }),
    z.describe('The extension of `fileName` must be one of its `contentType` (e.g. `.pdf` for `application/pdf`).'),
  );
export type CreateAttachmentInput = z.output<typeof CreateAttachmentBody>;

export type AttachmentStatus = 'pending' | 'attached';

/** The contract's `attachment`. */
export interface Attachment {
  id: string;
  fileName: string;
  contentType: AttachmentType;
  size: number;
  uploadedBy: string;
  createdAt: string;
}

/** What is stored about a file. */
export interface AttachmentRecord extends Attachment {
  status: AttachmentStatus;
  /** The ticket it belongs to, once attached. */
  ticketId?: string;
  /** Who may download it besides its uploader before it is attached: everyone who sees the ticket when absent. */
  audience?: Audience;
}

export function attachmentView(record: AttachmentRecord): Attachment {
  return {
    id: record.id,
    fileName: record.fileName,
    contentType: record.contentType,
    size: record.size,
    uploadedBy: record.uploadedBy,
    createdAt: record.createdAt,
  };
}

/** What S3 says it holds for an upload (HeadObject). */
export interface StoredObject {
  size: number;
  contentType?: string;
}

/**
 * Why a stored upload breaks what was declared and allowed, or `undefined` when it is fine. The presigned
 * POST's policy already demands all of this; checking the object itself is the second line, and the only
 * one where S3 (or an emulator) does not enforce the policy.
 */
export function uploadViolation(record: AttachmentRecord, object: StoredObject): string | undefined {
  if (object.size > maxAttachmentBytes) return `the file is larger than ${maxAttachmentBytes} bytes`;
  if (object.size !== record.size) return `the file has ${object.size} bytes, not the ${record.size} declared`;
  if (object.contentType !== record.contentType) return `the file was stored as ${object.contentType ?? 'no type'}`;
  return undefined;
}

/** Any string: an id that is not one of ours is simply not found (404). */
export const AttachmentParams = z.strictObject({ id: z.string() });
