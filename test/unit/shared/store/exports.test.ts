import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { partBytes, startExportObject } from '../../../../shared/store/exports.js';

const s3 = mockClient(S3Client);

beforeAll(() => {
  process.env.BUCKET_NAME ??= 'atende-evidence';
});
beforeEach(() => {
  s3.reset();
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'U1' });
  s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"e${input.PartNumber}"` }));
});

const sizesSent = () => s3.commandCalls(UploadPartCommand).map((call) => (call.args[0].input.Body as Buffer).length);

describe('writing a large export to the bucket', () => {
  it('sends a part each time 5 MiB are held, so memory holds one part at most, and completes with them in order', async () => {
    const writer = await startExportObject('01PERSON', '01EXPORT');
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 12; i++) await writer.write(chunk);
    expect(sizesSent()).toEqual([partBytes, partBytes]);
    await writer.finish();
    expect(sizesSent()).toEqual([partBytes, partBytes, 2 * 1024 * 1024]);
    const [complete] = s3.commandCalls(CompleteMultipartUploadCommand);
    expect(complete?.args[0].input).toMatchObject({
      Key: 'exports/01PERSON/01EXPORT.json',
      UploadId: 'U1',
      MultipartUpload: { Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"e${n}"` })) },
    });
  });

  it('sends a small document as its one (last) part, and drops what it sent when told to abort', async () => {
    const writer = await startExportObject('01PERSON', '01SMALL');
    await writer.write(Buffer.from('{}'));
    await writer.finish();
    expect(sizesSent()).toEqual([2]);
    const failed = await startExportObject('01PERSON', '01FAILED');
    await failed.abort();
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toMatchObject({ UploadId: 'U1' });
  });
});
