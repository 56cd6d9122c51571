// What the people-over-time tests share, through the public API: signing in for real (so a refresh token
// exists), an invitation redeemed from the e-mail it sent, and reading the audit trail's answers.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ulid } from 'ulid';
import { expect, inject } from 'vitest';
import { type AuditQuery, parseAuditArgs, runAudit } from '../../../infra/local/audit/query.js';
import type { RequestLine } from '../../../shared/observability/logger.js';
import { api, type Json } from '../../support/http.js';
import { linkToken, waitForMail } from '../../support/mailbox.js';

export const newEmail = (who: string) => `${who}-${ulid().toLowerCase()}@example.com`;

export interface Session {
  token: string;
  refreshToken: string;
  user: Json;
}

/** `POST /auth/login`, expecting it to work. */
export async function signIn(email: string, password: string): Promise<Session> {
  const res = await api.post('/auth/login', { body: { email, password } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { token: res.body.accessToken, refreshToken: res.body.refreshToken, user: res.body.user };
}

/** The token of the newest invitation e-mail to `email` (the `count`-th one). */
export async function invitationToken(email: string, count = 1): Promise<string> {
  const mails = await waitForMail(email, count);
  return linkToken(mails[count - 1] as (typeof mails)[number], 'accept-invite');
}

/** Redeems an invitation as a new person, expecting it to work. */
export async function accept(token: string, name: string, password: string): Promise<Session> {
  const res = await api.post('/invites/accept', { body: { token, name, password } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { token: res.body.accessToken, refreshToken: res.body.refreshToken, user: res.body.user };
}

/** The request lines an auditor's question answers (as `npm run audit -- <args>` prints them). */
export async function audit(args: string[]): Promise<RequestLine[]> {
  const file = inject('stack').logFile;
  const found: RequestLine[] = [];
  const query: AuditQuery = parseAuditArgs(args).query;
  await runAudit(() => createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity }), query, {
    match: (line) => {
      found.push(line);
    },
    malformed: () => {},
  });
  return found;
}
