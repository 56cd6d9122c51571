// Evidence files: what is known about each (DynamoDB) and the file itself (S3).
//
// Access patterns (pattern → key/index → operation):
//   attachment by id        pk=ATTACHMENT#<id>  sk=ATTACHMENT   GetItem (consistent); conditional update when attached
//   a person's files        gsi1pk=ATTACHMENTS#UPLOADER#<userId>  gsi1sk=<id>   Query gsi1, paged (shared/privacy/)
//
// Objects in the bucket:
//   uploads/<id>       where the browser's presigned POST puts a file; the bucket's lifecycle rule deletes what
//                      stays here (never attached) after a day, and the attachment item has a matching TTL
//   attachments/<id>   a file that belongs to a ticket, copied here when it is attached; kept

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { dynamoClient } from '../aws/dynamo.js';
import { s3Client } from '../aws/s3.js';
import { config } from '../config.js';
import {
  type AttachmentRecord,
  downloadLinkSeconds,
  type StoredObject,
  uploadFormSeconds,
} from '../domain/attachments.js';
import type { Audience } from '../domain/audience.js';
import { epochSeconds, type Item, type TransactItem } from './dynamo.js';
import { objectPrefixes } from './partitions.js';

export const attachmentKeys = {
  attachment: (id: string) => ({ pk: `ATTACHMENT#${id}`, sk: 'ATTACHMENT' }),
  byUploader: (userId: string) => ({ index: 'gsi1', pk: `ATTACHMENTS#UPLOADER#${userId}` }),
} as const;

/** The index attributes an attachment item carries: its uploader's list. */
export const attachmentIndexOf = (record: Pick<AttachmentRecord, 'id' | 'uploadedBy'>): Item => ({
  gsi1pk: attachmentKeys.byUploader(record.uploadedBy).pk,
  gsi1sk: record.id,
});

export const objectKeys = {
  upload: (id: string) => `${objectPrefixes.upload}${id}`,
  attached: (id: string) => `${objectPrefixes.attached}${id}`,
};

const fields = [
  'id',
  'fileName',
  'contentType',
  'size',
  'uploadedBy',
  'createdAt',
  'status',
  'ticketId',
  'audience',
] as const;

export function toRecord(item: Item): AttachmentRecord {
  return Object.fromEntries(
    fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as AttachmentRecord;
}

export async function putPendingAttachment(record: AttachmentRecord, expiresAt: Date): Promise<void> {
  await dynamoClient().send(
    new PutCommand({
      TableName: config.tableName,
      Item: {
        ...attachmentKeys.attachment(record.id),
        type: 'attachment',
        ...record,
        ...attachmentIndexOf(record),
        ttl: epochSeconds(expiresAt),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** The attachment, unless it is a pending upload whose time ran out (TTL deletion lags). */
export async function getAttachment(id: string, now: Date): Promise<AttachmentRecord | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: attachmentKeys.attachment(id), ConsistentRead: true }),
  );
  if (!Item || (typeof Item.ttl === 'number' && Item.ttl <= epochSeconds(now))) return undefined;
  return toRecord(Item);
}

export async function deleteAttachment(id: string): Promise<void> {
  await dynamoClient().send(new DeleteCommand({ TableName: config.tableName, Key: attachmentKeys.attachment(id) }));
}

/**
 * Marks a pending upload as `ticketId`'s (for `audience`: a note's files are for staff alone); cancels the
 * transaction unless it is still pending and still `uploaderId`'s, so one file can never end up on two tickets.
 */
export function attachItem(
  record: AttachmentRecord,
  ticketId: string,
  uploaderId: string,
  audience: Audience = 'everyone',
): TransactItem {
  return {
    Update: {
      TableName: config.tableName,
      Key: attachmentKeys.attachment(record.id),
      UpdateExpression: `SET #status = :attached, ticketId = :ticket${audience === 'everyone' ? '' : ', audience = :audience'} REMOVE #ttl`,
      ConditionExpression: '#status = :pending AND uploadedBy = :uploader',
      ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':attached': 'attached',
        ':pending': 'pending',
        ':ticket': ticketId,
        ':uploader': uploaderId,
        ...(audience === 'everyone' ? {} : { ':audience': audience }),
      },
    },
  };
}

/**
 * A form the browser posts the file with, straight to S3. Its policy admits exactly this key, this content
 * type and exactly the declared size (never over the 10 MiB the schema allows).
 */
export function presignUpload(record: AttachmentRecord): Promise<PresignedPost> {
  return createPresignedPost(s3Client(), {
    Bucket: config.bucketName,
    Key: objectKeys.upload(record.id),
    Fields: { 'Content-Type': record.contentType },
    Conditions: [
      ['eq', '$key', objectKeys.upload(record.id)],
      ['eq', '$Content-Type', record.contentType],
      ['content-length-range', record.size, record.size],
    ],
    Expires: uploadFormSeconds,
  });
}

/** What S3 holds at the upload's key, or `undefined` when nothing was uploaded. */
export async function headUpload(id: string): Promise<StoredObject | undefined> {
  let head: HeadObjectCommandOutput;
  try {
    head = await s3Client().send(new HeadObjectCommand({ Bucket: config.bucketName, Key: objectKeys.upload(id) }));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return { size: head.ContentLength ?? 0, ...(head.ContentType ? { contentType: head.ContentType } : {}) };
}

/** Copies an upload to where attached files live (the upload itself expires with the lifecycle rule). */
export async function keepUpload(id: string): Promise<void> {
  await s3Client().send(
    new CopyObjectCommand({
      Bucket: config.bucketName,
      CopySource: `${config.bucketName}/${objectKeys.upload(id)}`,
      Key: objectKeys.attached(id),
    }),
  );
}

export async function deleteUpload(id: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: config.bucketName, Key: objectKeys.upload(id) }));
}

/**
 * Deletes a file for good: every version of it, where it was uploaded and where it was kept (the bucket is
 * versioned, so a plain delete would only hide it behind a delete marker). Deleting what is gone is harmless.
 */
export async function deleteFileEverywhere(id: string): Promise<void> {
  for (const key of [objectKeys.upload(id), objectKeys.attached(id)]) {
    await deleteEveryVersion(key, (listed) => listed === key);
  }
}

/** Deletes every version and delete marker of the objects under `prefix` that `wanted` keeps (S3 pages of 1000). */
export async function deleteEveryVersion(prefix: string, wanted: (key: string) => boolean = () => true): Promise<void> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const listed = await s3Client().send(
      new ListObjectVersionsCommand({
        Bucket: config.bucketName,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const version of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) {
      if (version.Key === undefined || !wanted(version.Key)) continue;
      await s3Client().send(
        new DeleteObjectCommand({ Bucket: config.bucketName, Key: version.Key, VersionId: version.VersionId }),
      );
    }
    keyMarker = listed.IsTruncated ? listed.NextKeyMarker : undefined;
    versionIdMarker = listed.IsTruncated ? listed.NextVersionIdMarker : undefined;
  } while (keyMarker);
}

/** A link that downloads the file for a few minutes, under its own name. */
export function presignDownload(record: AttachmentRecord): Promise<string> {
  const key = record.status === 'attached' ? objectKeys.attached(record.id) : objectKeys.upload(record.id);
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: config.bucketName,
      Key: key,
      ResponseContentType: record.contentType,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(record.fileName)}`,
    }),
    { expiresIn: downloadLinkSeconds },
  );
}

// S3 answers 403 rather than 404 for a key that does not exist when the caller may not list the bucket,
// and these functions may only touch objects: for HeadObject, both mean "nothing was uploaded there".
function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || status === 404 || status === 403;
}
