// The body of a queued e-mail carries a one-time link (an invitation, a password reset), so the outbox
// keeps it encrypted: AES-256-GCM with a random 96-bit IV, under a key derived from the access-token key,
// and bound to its outbox item (the item id is the associated data, so a body cannot be moved to another
// item). Stored as base64 of IV ‖ ciphertext ‖ tag. A leaked table holds no usable link.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { derivedKey } from '../secrets.js';
import type { RenderedMail } from './templates.js';

const purpose = 'atende outbox body v1';
const ivBytes = 12;
const tagBytes = 16;

export async function sealBody(outboxId: string, mail: RenderedMail): Promise<string> {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', await derivedKey(purpose), iv);
  cipher.setAAD(Buffer.from(outboxId));
  const content = { subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers };
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}

/** The mail `sealBody` sealed for `outboxId`; throws if the body was altered or belongs to another item. */
export async function openBody(outboxId: string, sealed: string): Promise<RenderedMail> {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', await derivedKey(purpose), bytes.subarray(0, ivBytes));
  decipher.setAAD(Buffer.from(outboxId));
  decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
  const plain = Buffer.concat([decipher.update(bytes.subarray(ivBytes, bytes.length - tagBytes)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as RenderedMail;
}
