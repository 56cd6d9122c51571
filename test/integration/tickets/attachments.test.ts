// Evidence files: the presigned form, the checks made on the stored object when a file is attached (the
// S3 emulator accepts any POST, so these are what stands between a lying client and a ticket), and who
// may download.
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../shared/aws/s3.js';
import { config } from '../../../shared/config.js';
import type { Group } from '../../../shared/domain/groups.js';
import { api, type Json } from '../../support/http.js';
import { type Person, world } from '../../support/world.js';
import { openTicket, uploadFile } from './support.js';

let ana: Person & { group: Group };
let colleague: Person;
let outsider: Person;

beforeAll(async () => {
  ana = await world.customer();
  colleague = await world.customer({ group: ana.group });
  outsider = await world.customer();
});

async function stored(key: string): Promise<boolean> {
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: config.bucketName, Key: key }));
    return true;
  } catch {
    return false;
  }
}

const attach = (person: Person, attachmentIds: string[], groupId = ana.group.id) =>
  api.post('/tickets', {
    token: person.token,
    body: { groupId, topic: 'fiscal_document', subject: 'Com anexo', description: 'Segue o arquivo', attachmentIds },
  });

describe('the upload form', () => {
  it('is a presigned POST whose policy pins the key, the exact size and the content type', async () => {
    const res = await api.post('/attachments', {
      token: ana.token,
      body: { fileName: 'nota.pdf', contentType: 'application/pdf', size: 2048 },
    });
    expect(res.status).toBe(201);
    const { attachment, upload } = res.body;
    expect(attachment).toMatchObject({
      fileName: 'nota.pdf',
      contentType: 'application/pdf',
      size: 2048,
      uploadedBy: ana.user.id,
    });
    expect(upload.fields.key).toBe(`uploads/${attachment.id}`);
    expect(upload.fields['Content-Type']).toBe('application/pdf');
    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString());
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', `uploads/${attachment.id}`],
        ['eq', '$Content-Type', 'application/pdf'],
        ['content-length-range', 2048, 2048],
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000);
  });

  it('is refused for types outside pdf, png, jpeg, xml, txt, csv, zip and for files over 10 MiB', async () => {
    for (const body of [
      { fileName: 'pagina.html', contentType: 'text/html', size: 10 },
      { fileName: 'grande.zip', contentType: 'application/zip', size: 10 * 1024 * 1024 + 1 },
      { fileName: 'sem-tipo.pdf', size: 10 },
    ]) {
      expect((await api.post('/attachments', { token: ana.token, body })).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('attaching a stored file', () => {
  it('refuses and deletes a file larger than declared', async () => {
    const file = await uploadFile(ana, {
      fileName: 'mentira.txt',
      contentType: 'text/plain',
      content: 'x'.repeat(500),
      declaredSize: 100,
    });
    expect(await stored(`uploads/${file.id}`)).toBe(true);
    const res = await attach(ana, [file.id]);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'attachmentIds.0', issue: expect.stringContaining('500 bytes, not the 100 declared') },
    ]);
    expect(await stored(`uploads/${file.id}`)).toBe(false);
    // Gone for good: the id no longer names an upload.
    expect((await attach(ana, [file.id])).body.error.details[0].issue).toMatch(/no upload of yours/);
  });

  it('refuses and deletes a file stored with another content type than declared', async () => {
    const file = await uploadFile(ana, {
      fileName: 'foto.png',
      contentType: 'image/png',
      content: '<html><script>alert(1)</script></html>',
      uploadedType: 'text/html',
    });
    const res = await attach(ana, [file.id]);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].issue).toMatch(/text\/html/);
    expect(await stored(`uploads/${file.id}`)).toBe(false);
  });

  it('refuses a file that was never uploaded, and one uploaded by someone else', async () => {
    const announced = await api.post('/attachments', {
      token: ana.token,
      body: { fileName: 'depois.csv', contentType: 'text/csv', size: 10 },
    });
    const notYet = await attach(ana, [announced.body.attachment.id]);
    expect(notYet.status).toBe(400);
    expect(notYet.body.error.details[0].issue).toMatch(/not been uploaded/);
    const theirs = await uploadFile(colleague, { fileName: 'dela.txt', contentType: 'text/plain', content: 'oi' });
    expect((await attach(ana, [theirs.id])).status).toBe(400);
  });

  it('attaches a file once: not again to another ticket', async () => {
    const file = await uploadFile(ana, { fileName: 'itens.csv', contentType: 'text/csv', content: 'a,b\n1,2\n' });
    expect((await attach(ana, [file.id])).status).toBe(201);
    expect((await attach(ana, [file.id])).status).toBe(400);
  });
});

describe('the largest ticket', () => {
  it('opens with ten files, a key and a description of many distinct words, its first 200 words searchable', async () => {
    const files = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        uploadFile(ana, { fileName: `parte-${i}.txt`, contentType: 'text/plain', content: `parte ${i}` }),
      ),
    );
    const description = Array.from({ length: 300 }, (_, i) => `palavra${i}`).join(' ');
    const res = await api.post('/tickets', {
      token: ana.token,
      headers: { 'idempotency-key': `largest-${files[0]?.id}` },
      body: {
        groupId: ana.group.id,
        topic: 'other',
        subject: 'Muitos anexos',
        description,
        attachmentIds: files.map((f) => f.id),
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.ticket.attachments).toHaveLength(10);
    // Its first 200 distinct words (api.md, "Limits against abuse": the subject's 2, then palavra0–palavra197)
    // are searchable as soon as the ticket is answered: those the transaction had room for, and those written
    // right after it, alone or together; the words beyond are not.
    for (const q of ['palavra0', 'palavra197', 'palavra0 palavra150 palavra197', 'muitos palavra196']) {
      const found = await api.get(`/tickets?q=${encodeURIComponent(q)}`, { token: ana.token });
      expect(
        found.body.items.map((t: Json) => t.id),
        q,
      ).toEqual([res.body.ticket.id]);
    }
    for (const q of ['palavra198', 'palavra299']) {
      const found = await api.get(`/tickets?q=${encodeURIComponent(q)}`, { token: ana.token });
      expect(found.body.items, q).toEqual([]);
    }
  });
});

describe('files on messages and on the ticket', () => {
  let ticket: Json;

  beforeAll(async () => {
    ticket = await openTicket(ana);
  });

  it('adds message files to the ticket and the message event', async () => {
    const file = await uploadFile(ana, {
      fileName: 'print.png',
      contentType: 'image/png',
      content: Buffer.from([137, 80, 78, 71]),
    });
    const res = await api.post(`/tickets/${ticket.id}/messages`, {
      token: ana.token,
      body: { body: 'O erro aparece assim', attachmentIds: [file.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body.event.data.attachments).toEqual([expect.objectContaining({ id: file.id, fileName: 'print.png' })]);
    const now = await api.get(`/tickets/${ticket.id}`, { token: ana.token });
    expect(now.body.ticket.attachments.map((a: Json) => a.id)).toContain(file.id);
  });

  it('attaches files without a message as attachment_added', async () => {
    const file = await uploadFile(ana, { fileName: 'nfe.zip', contentType: 'application/zip', content: 'PK' });
    const res = await api.post(`/tickets/${ticket.id}/attachments`, {
      token: ana.token,
      body: { attachmentIds: [file.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({ type: 'attachment_added', data: { attachments: [{ id: file.id }] } });
  });
});

describe('downloading', () => {
  it('is for people who see the ticket (colleagues, agents, auditors), not for other groups', async () => {
    const file = await uploadFile(ana, { fileName: 'nota.pdf', contentType: 'application/pdf', content: '%PDF-1.7' });
    await openTicket(ana, { attachmentIds: [file.id] });
    for (const person of [ana, colleague, await world.agent(), await world.auditor()]) {
      const res = await api.get(`/attachments/${file.id}`, { token: person.token });
      expect(res.status).toBe(200);
      const body = await fetch(res.body.downloadUrl);
      expect(await body.text()).toBe('%PDF-1.7');
      expect(body.headers.get('content-disposition')).toContain('nota.pdf');
    }
    const denied = await api.get(`/attachments/${file.id}`, { token: outsider.token });
    expect(denied.status).toBe(404);
    expect(denied.body.error.code).toBe('not_found');
  });

  it('of a file not yet attached is for its uploader only', async () => {
    const file = await uploadFile(ana, { fileName: 'rascunho.txt', contentType: 'text/plain', content: 'rascunho' });
    expect((await api.get(`/attachments/${file.id}`, { token: ana.token })).status).toBe(200);
    expect((await api.get(`/attachments/${file.id}`, { token: colleague.token })).status).toBe(404);
  });

  it('is a link that expires in 5 minutes', async () => {
    const file = await uploadFile(ana, { fileName: 'x.txt', contentType: 'text/plain', content: 'x' });
    const res = await api.get(`/attachments/${file.id}`, { token: ana.token });
    expect(new URL(res.body.downloadUrl).searchParams.get('X-Amz-Expires')).toBe('300');
  });
});
