import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { headUpload } from '../../../../shared/store/attachments.js';

const s3 = mockClient(S3Client);

beforeAll(() => {
  process.env.BUCKET_NAME ??= 'atende-evidence';
});
beforeEach(() => s3.reset());

const failure = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

describe('reading what was uploaded', () => {
  it('gives the stored size and type', async () => {
    s3.on(HeadObjectCommand, { Key: 'uploads/A1' }).resolves({ ContentLength: 12, ContentType: 'text/plain' });
    expect(await headUpload('A1')).toEqual({ size: 12, contentType: 'text/plain' });
  });

  it('takes 404, and the 403 S3 answers callers that may not list the bucket, as nothing uploaded', async () => {
    s3.on(HeadObjectCommand).rejectsOnce(failure('NotFound', 404)).rejectsOnce(failure('Forbidden', 403));
    expect(await headUpload('A1')).toBeUndefined();
    expect(await headUpload('A1')).toBeUndefined();
  });

  it('lets any other failure through (the pipeline answers 503 for S3 being down)', async () => {
    s3.on(HeadObjectCommand).rejects(failure('InternalError', 500));
    await expect(headUpload('A1')).rejects.toMatchObject({ name: 'InternalError' });
  });
});
