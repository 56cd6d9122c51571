// The SES emulator's store, read the way a person reads their inbox: e-mails to one address, and the
// one-time link inside them.
import { inject } from 'vitest';
import { eventually } from './eventually.js';

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** The headers the sender set itself (a notification's List-Unsubscribe, an auto-reply's Auto-Submitted). */
  headers?: { name: string; value: string }[];
  at: number;
}

export const header = (email: StoredEmail, name: string): string | undefined =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** Every e-mail the emulator holds for `address`, oldest first. */
export async function mailTo(address: string): Promise<StoredEmail[]> {
  const response = await fetch(new URL('/store', inject('stack').sesUrl));
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.some((to) => to.toLowerCase().includes(address.toLowerCase())));
}

/** Waits until `address` has at least `count` e-mails (for sends the outbox job makes in the background). */
export function waitForMail(address: string, count = 1): Promise<StoredEmail[]> {
  return eventually(
    async () => {
      const emails = await mailTo(address);
      return emails.length >= count && emails;
    },
    `e-mail number ${count} to ${address}`,
    20_000,
  );
}

/** The token of the `/accept-invite` or `/reset-password` link in an e-mail's text. */
export function linkToken(email: StoredEmail, page: 'accept-invite' | 'reset-password'): string {
  const match = new RegExp(`/${page}#token=([A-Za-z0-9_%-]+)`).exec(email.body.text ?? '');
  if (!match?.[1]) throw new Error(`no ${page} link in "${email.subject}"`);
  return decodeURIComponent(match[1]);
}
