// What the ticket tests do over and over, through the public API: open a ticket, and upload a file the way a
// browser does (the presigned POST form, straight to the S3 emulator). Whole lists: test/support/pages.ts.
import { expect } from 'vitest';
import { type ApiResponse, api, type Json } from '../../support/http.js';
import type { Person } from '../../support/world.js';

export interface NewTicket {
  groupId?: string;
  topic?: string;
  subject?: string;
  description?: string;
  priority?: string;
  attachmentIds?: string[];
  documentRef?: Json;
}

/** Opens a ticket through `POST /tickets` and returns it; fails the test on anything but 201. */
export async function openTicket(person: Person & { group?: { id: string } }, ticket: NewTicket = {}): Promise<Json> {
  const res = await api.post('/tickets', {
    token: person.token,
    body: {
      groupId: ticket.groupId ?? person.group?.id,
      topic: ticket.topic ?? 'other',
      subject: ticket.subject ?? 'Dúvida sobre o portal',
      description: ticket.description ?? 'Como faço para baixar o XML?',
      ...ticket,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.ticket;
}

export interface File {
  fileName: string;
  contentType: string;
  content: string | Buffer;
  /** What to declare, when a test lies about it. */
  declaredSize?: number;
  /** The Content-Type sent with the upload itself, when a test lies about it. */
  uploadedType?: string;
}

/** `POST /attachments`, then the browser's multipart POST of the form it returned. */
export async function uploadFile(person: Person, file: File): Promise<{ id: string; upload: ApiResponse<Json> }> {
  const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
  const res = await api.post('/attachments', {
    token: person.token,
    body: { fileName: file.fileName, contentType: file.contentType, size: file.declaredSize ?? bytes.length },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(res.body.upload.fields as Record<string, string>)) {
    form.append(name, name === 'Content-Type' && file.uploadedType ? file.uploadedType : value);
  }
  form.append('file', new Blob([new Uint8Array(bytes)], { type: file.contentType }), file.fileName);
  const posted = await fetch(res.body.upload.url, { method: 'POST', body: form });
  expect(posted.status, await posted.clone().text()).toBeLessThan(300);
  return { id: res.body.attachment.id, upload: res };
}
