import { describe, expect, it } from 'vitest';
import * as api from '../../../../../shared/domain/attachments.js';
import { acceptAttribute, checkFile, contentTypeOf, maxAttachmentBytes } from '../../../../../web/src/lib/files.js';

describe('evidence files checked in the browser before upload', () => {
  it('uses the same size limit as the API', () => {
    expect(maxAttachmentBytes).toBe(api.maxAttachmentBytes);
  });

  it('sends, for every extension it offers, a content type the API accepts for that extension', () => {
    for (const extension of acceptAttribute.split(',').map((e) => e.slice(1))) {
      const type = contentTypeOf(`evidence.${extension}`) as keyof typeof api.attachmentTypes;
      expect(api.attachmentTypes[type] as readonly string[]).toContain(extension);
      expect(
        api.CreateAttachmentBody.safeParse({ fileName: `evidence.${extension}`, contentType: type, size: 1 }).success,
      ).toBe(true);
    }
  });

  it('refuses unknown types, empty files and files over 10 MiB, whatever the case of the extension', () => {
    expect(checkFile({ name: 'NOTA.PDF', size: 100 })).toBeUndefined();
    expect(checkFile({ name: 'virus.exe', size: 100 })).toBe('type');
    expect(checkFile({ name: 'no-extension', size: 100 })).toBe('type');
    expect(checkFile({ name: 'empty.txt', size: 0 })).toBe('empty');
    expect(checkFile({ name: 'big.zip', size: 10 * 1024 * 1024 + 1 })).toBe('size');
    expect(checkFile({ name: 'limit.zip', size: 10 * 1024 * 1024 })).toBeUndefined();
  });
});
