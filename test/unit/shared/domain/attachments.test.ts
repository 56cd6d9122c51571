import { describe, expect, it } from 'vitest';
import {
  type AttachmentRecord,
  CreateAttachmentBody,
  maxAttachmentBytes,
  uploadViolation,
} from '../../../../shared/domain/attachments.js';

describe('an upload request', () => {
  it('accepts the allowed types with a matching extension', () => {
    for (const [fileName, contentType] of [
      ['nota.pdf', 'application/pdf'],
      ['tela.PNG', 'image/png'],
      ['foto.jpg', 'image/jpeg'],
      ['nfe.xml', 'application/xml'],
      ['log.txt', 'text/plain'],
      ['itens.csv', 'text/csv'],
      ['tudo.zip', 'application/zip'],
    ]) {
      expect(CreateAttachmentBody.safeParse({ fileName, contentType, size: 10 }).success, fileName).toBe(true);
    }
  });

  it('refuses other types, a mismatched extension, path tricks and sizes out of range', () => {
    const refused = [
      { fileName: 'a.html', contentType: 'text/html', size: 1 },
      { fileName: 'a.exe', contentType: 'application/pdf', size: 1 },
      { fileName: 'semextensao', contentType: 'text/plain', size: 1 },
      { fileName: '../../etc/passwd.txt', contentType: 'text/plain', size: 1 },
      { fileName: 'a\u0000.txt', contentType: 'text/plain', size: 1 },
      { fileName: 'a.txt', contentType: 'text/plain', size: 0 },
      { fileName: 'a.txt', contentType: 'text/plain', size: maxAttachmentBytes + 1 },
      { fileName: 'a.txt', contentType: 'text/plain', size: '10' },
      { fileName: 'a.txt', contentType: 'text/plain; charset=utf-8', size: 1 },
    ];
    for (const body of refused) expect(CreateAttachmentBody.safeParse(body).success, JSON.stringify(body)).toBe(false);
  });
});

describe('a stored upload', () => {
  const record: AttachmentRecord = {
    id: 'A1',
    fileName: 'nota.pdf',
    contentType: 'application/pdf',
    size: 1000,
    uploadedBy: 'U1',
    createdAt: '2030-01-01T00:00:00.000Z',
    status: 'pending',
  };

  it('passes when it is what was declared', () => {
    expect(uploadViolation(record, { size: 1000, contentType: 'application/pdf' })).toBeUndefined();
  });

  it('is refused when its size or type differ from the declaration, or it is over 10 MiB', () => {
    expect(uploadViolation(record, { size: 1001, contentType: 'application/pdf' })).toMatch(/1001 bytes/);
    expect(uploadViolation(record, { size: 1000, contentType: 'text/html' })).toMatch(/text\/html/);
    expect(uploadViolation(record, { size: 1000 })).toMatch(/no type/);
    expect(
      uploadViolation(
        { ...record, size: maxAttachmentBytes + 1 },
        { size: maxAttachmentBytes + 1, contentType: 'application/pdf' },
      ),
    ).toMatch(/larger/);
  });
});
