// A person's data export too large to answer inline: written to the bucket as it is assembled, in parts
// (a multipart upload), so that memory holds one part at most however large the document, and handed out as
// a link valid for 5 minutes. The bucket's lifecycle rule deletes exports after a day (infra/constructs/data.ts).
//
// Objects in the bucket:
//   exports/<userId>/<id>.json   one export document (JSON), written once; under its person, so that
//                                erasing them deletes it too
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from '../aws/s3.js';
import { config } from '../config.js';
import { downloadLinkSeconds } from '../domain/attachments.js';
import { objectPrefixes } from './partitions.js';

export const exportPrefix = (userId: string): string => `${objectPrefixes.export}${userId}/`;
export const exportObjectKey = (userId: string, id: string): string => `${exportPrefix(userId)}${id}.json`;

/** S3's smallest part but the last. */
export const partBytes = 5 * 1024 * 1024;

/** Writes one object part by part; `finish` completes it, `abort` drops what was sent. */
export interface ObjectWriter {
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

export async function startExportObject(userId: string, id: string): Promise<ObjectWriter> {
  const key = exportObjectKey(userId, id);
  const bucket = config.bucketName;
  const { UploadId } = await s3Client().send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/json; charset=utf-8' }),
  );
  const parts: { ETag?: string; PartNumber: number }[] = [];
  const send = async (body: Buffer) => {
    const PartNumber = parts.length + 1;
    const { ETag } = await s3Client().send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: body }),
    );
    parts.push({ ETag, PartNumber });
  };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return {
    async write(chunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < partBytes) return;
      const body = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      await send(body);
    },
    async finish() {
      if (pendingBytes > 0 || parts.length === 0) await send(Buffer.concat(pending));
      await s3Client().send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }),
      );
    },
    async abort() {
      await s3Client().send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
    },
  };
}

export function presignExport(userId: string, id: string, fileName: string): Promise<string> {
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: config.bucketName,
      Key: exportObjectKey(userId, id),
      ResponseContentType: 'application/json; charset=utf-8',
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
    }),
    { expiresIn: downloadLinkSeconds },
  );
}
