// Invitations: their life cycle (resend, revoke, expiry, acceptance races) and their e-mail, which is never
// lost. SES failures are real ones: this file's own process sends through an "SES" that answers every
// request with a 500 (and remembers what it was asked to send), while the gateway's functions keep the
// working emulator.
import { createServer, type Server } from 'node:http';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../../shared/auth/invitations.js';
import { deliver } from '../../../shared/auth/outbox.js';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import { maxAttempts } from '../../../shared/mail/outbox.js';
import { logger } from '../../../shared/observability/logger.js';
import { getInvite } from '../../../shared/store/invites.js';
import { getOutboxItem, outboxKeys } from '../../../shared/store/outbox.js';
import { eventually } from '../../support/eventually.js';
import { api } from '../../support/http.js';
import { linkToken, mailTo, waitForMail } from '../../support/mailbox.js';
import { timePassesUntilRetry } from '../../support/outbox.js';
import { type Person, world } from '../../support/world.js';

const newEmail = (who = 'person') => `${who}-${ulid().toLowerCase()}@example.com`;

/** SendEmail requests the failing SES received. */
const refusedSends: { to: string[]; text: string }[] = [];
let failingSes: Server;

let admin: Person;

beforeAll(async () => {
  // The failures are expected here; their log lines would only clutter the test output.
  logger.setLogLevel('SILENT');
  failingSes = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const sent = JSON.parse(body || '{}');
      refusedSends.push({
        to: sent.Destination?.ToAddresses ?? [],
        text: sent.Content?.Simple?.Body?.Text?.Data ?? '',
      });
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"SES is having a bad day"}');
    });
  });
  await new Promise<void>((resolve) => failingSes.listen(0, '127.0.0.1', resolve));
  // Only this test process: the functions behind the gateway still reach the SES emulator.
  process.env.AWS_ENDPOINT_URL_SESV2 = `http://127.0.0.1:${(failingSes.address() as { port: number }).port}`;
  admin = await world.admin();
});

afterAll(async () => {
  await new Promise((resolve) => failingSes.close(resolve));
});

/** The invitation link of an e-mail SES refused (the person never got it). */
function refusedToken(email: string): string {
  const sends = refusedSends.filter((s) => s.to.includes(email));
  const token = /accept-invite#token=([A-Za-z0-9_-]+)/.exec(sends[sends.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error(`SES was never asked to send an invitation to ${email}`);
  return token;
}

/** Invites through the API and returns the invite and the token from its e-mail. */
async function invite(group: { id: string }, email = newEmail(), by: Person = admin) {
  const res = await api.post(`/groups/${group.id}/invites`, { token: by.token, body: { email } });
  expect(res.status).toBe(201);
  const mails = await mailTo(email);
  const last = mails[mails.length - 1];
  if (!last) throw new Error(`no invitation e-mail to ${email}`);
  return { invite: res.body.invite, email, token: linkToken(last, 'accept-invite') };
}

describe('when SES fails', () => {
  it('keeps the invitation, shows the delivery as failed, and a resend delivers a new link', async () => {
    const group = await world.group();
    const email = newEmail('failing');
    const failed = await createInvite(admin.principal, group.id, { email });
    expect(failed).toMatchObject({ status: 'pending', delivery: { status: 'failed', attempts: 1 } });
    expect(failed.delivery.lastError).toMatch(/\S/);
    expect(await mailTo(email)).toHaveLength(0);

    const listed = await api.get(`/groups/${group.id}/invites`, { token: admin.token });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: failed.id, status: 'pending', delivery: failed.delivery }),
    ]);
    const oldToken = refusedToken(email);
    const oldOutboxId = (await getInvite(failed.id))?.outboxId as string;
    expect(await getOutboxItem(oldOutboxId)).toMatchObject({ status: 'failed', nextAttemptAt: expect.any(String) });

    const resent = await api.post(`/invites/${failed.id}/resend`, { token: admin.token });
    expect(resent.status).toBe(200);
    expect(resent.body.invite).toMatchObject({
      id: failed.id,
      status: 'pending',
      delivery: { status: 'sent', attempts: 1 },
    });
    const [mail, ...more] = await mailTo(email);
    expect(more).toHaveLength(0);
    const newToken = linkToken(mail as NonNullable<typeof mail>, 'accept-invite');
    expect(newToken).not.toBe(oldToken);

    expect((await api.get(`/invites/lookup?token=${oldToken}`)).status).toBe(410);
    const oldAccept = await api.post('/invites/accept', {
      body: { token: oldToken, name: 'X', password: 'a password long enough' },
    });
    expect(oldAccept.status).toBe(410);
    expect(oldAccept.body.error.code).toBe('gone');
    expect((await api.get(`/invites/lookup?token=${newToken}`)).status).toBe(200);
    // The replaced e-mail, whose retry was owed, is cancelled: nothing will ever send the dead link.
    const oldEmail = await getOutboxItem(oldOutboxId);
    expect(oldEmail).toMatchObject({ status: 'cancelled' });
    expect(oldEmail?.nextAttemptAt).toBeUndefined();
    expect(oldEmail?.body).toBeUndefined();
    const newOutboxId = (await getInvite(failed.id))?.outboxId as string;
    expect(newOutboxId).not.toBe(oldOutboxId);
    expect((await getOutboxItem(newOutboxId))?.status).toBe('sent');
  });

  it('cancels the e-mail of a revoked invitation whose retry was owed', async () => {
    const group = await world.group();
    const failed = await createInvite(admin.principal, group.id, { email: newEmail('revoked') });
    const outboxId = (await getInvite(failed.id))?.outboxId as string;
    expect(await getOutboxItem(outboxId)).toMatchObject({ status: 'failed', nextAttemptAt: expect.any(String) });
    expect((await api.delete(`/invites/${failed.id}`, { token: admin.token })).status).toBe(204);
    const cancelled = await getOutboxItem(outboxId);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled?.nextAttemptAt).toBeUndefined();
    expect(cancelled?.body).toBeUndefined();
  });

  it('retries by itself with backoff until the e-mail goes out', async () => {
    const group = await world.group();
    const email = newEmail('retried');
    // Failed "ten minutes ago": its retry is already due, so the outbox job (every second in tests) takes it.
    const failed = await createInvite(
      admin.principal,
      group.id,
      { email },
      { now: new Date(Date.now() - 10 * 60_000) },
    );
    expect(failed.delivery.status).toBe('failed');
    const [mail] = await waitForMail(email);
    const token = linkToken(mail as NonNullable<typeof mail>, 'accept-invite');
    expect((await api.get(`/invites/lookup?token=${token}`)).status).toBe(200);
    const delivery = await eventually(async () => {
      const listed = await api.get(`/groups/${group.id}/invites`, { token: admin.token });
      return listed.body.items[0].delivery.status === 'sent' && listed.body.items[0].delivery;
    }, 'the invitation shown as sent');
    expect(delivery).toEqual({ status: 'sent', attempts: 2 });
  });

  it('keeps the link out of the table while the e-mail waits, and the retry sends that same link', async () => {
    const group = await world.group();
    const email = newEmail('sealed');
    const failed = await createInvite(admin.principal, group.id, { email });
    expect(failed.delivery.status).toBe('failed');
    const token = refusedToken(email);
    const outboxId = (await getInvite(failed.id))?.outboxId as string;

    // The item as DynamoDB holds it, not as the store module reads it.
    const { Item: raw } = await dynamoClient().send(
      new GetCommand({ TableName: config.tableName, Key: outboxKeys.item(outboxId), ConsistentRead: true }),
    );
    expect(raw).toMatchObject({ status: 'failed', body: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(encodeURIComponent(token));
    expect(stored).not.toContain('accept-invite');
    expect(stored).not.toContain(group.name);

    // Its retry is due now, as if the backoff had passed: the outbox job (the gateway's) opens and sends it.
    await timePassesUntilRetry(outboxId);
    const [mail] = await waitForMail(email);
    expect(linkToken(mail as NonNullable<typeof mail>, 'accept-invite')).toBe(token);
    expect(mail?.subject).toContain(group.name);
  });

  it(`gives up after ${maxAttempts} attempts, leaving the invitation failed and resendable`, async () => {
    const group = await world.group();
    const start = Date.now() + 24 * 60 * 60_000;
    const invite = await createInvite(
      admin.principal,
      group.id,
      { email: newEmail('bouncing') },
      { now: new Date(start) },
    );
    const stored = await getInvite(invite.id);
    let item = await getOutboxItem(stored?.outboxId ?? '');
    for (let attempt = 2; attempt <= maxAttempts + 1; attempt++) {
      if (!item?.nextAttemptAt) break;
      await deliver(item, new Date(Date.parse(item.nextAttemptAt) + 1));
      item = await getOutboxItem(item.id);
    }
    expect(item).toMatchObject({ status: 'failed', attempts: maxAttempts });
    expect(item?.nextAttemptAt).toBeUndefined();
    // Once nothing more will be tried, not even the sealed body is kept.
    expect(item?.body).toBeUndefined();
    const listed = await api.get(`/groups/${group.id}/invites`, { token: admin.token });
    expect(listed.body.items[0].delivery).toMatchObject({ status: 'failed', attempts: maxAttempts });
    const resent = await api.post(`/invites/${invite.id}/resend`, { token: admin.token });
    expect(resent.body.invite.delivery).toEqual({ status: 'sent', attempts: 1 });
  });
});

describe('invitation links', () => {
  it('work once: a second acceptance of the same link is 410', async () => {
    const { token } = await invite(await world.group());
    const body = { token, name: 'Bia', password: 'a password long enough' };
    expect((await api.post('/invites/accept', { body })).status).toBe(201);
    const again = await api.post('/invites/accept', { body });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('gone');
    expect((await api.get(`/invites/lookup?token=${token}`)).status).toBe(410);
  });

  it('survive an acceptance refused for a short password or a missing name', async () => {
    const { token } = await invite(await world.group());
    const short = await api.post('/invites/accept', { body: { token, name: 'Bia', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ path: 'password', issue: expect.any(String) }]);
    const nameless = await api.post('/invites/accept', { body: { token, password: 'a password long enough' } });
    expect(nameless.body.error.details).toEqual([{ path: 'name', issue: 'required' }]);
    expect(
      (await api.post('/invites/accept', { body: { token, name: 'Bia', password: 'a password long enough' } })).status,
    ).toBe(201);
  });

  it('give one 201 and one 410 when accepted twice at the same moment', async () => {
    const group = await world.group();
    const { token, email } = await invite(group);
    const body = { token, name: 'Caio', password: 'a password long enough' };
    const answers = await Promise.all([api.post('/invites/accept', { body }), api.post('/invites/accept', { body })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 410]);
    const members = await api.get(`/groups/${group.id}/members`, { token: admin.token });
    expect(members.body.items.map((m: { email: string }) => m.email)).toEqual([email]);
  });

  it('die when revoked, and the invitation shows revoked', async () => {
    const group = await world.group();
    const { token, invite: created } = await invite(group);
    const outboxId = (await getInvite(created.id))?.outboxId as string;
    const revoked = await api.delete(`/invites/${created.id}`, { token: admin.token });
    expect(revoked.status).toBe(204);
    expect((await getOutboxItem(outboxId))?.status).toBe('cancelled');
    expect(
      (await api.post('/invites/accept', { body: { token, name: 'D', password: 'a password long enough' } })).status,
    ).toBe(410);
    const listed = await api.get(`/groups/${group.id}/invites`, { token: admin.token });
    expect(listed.body.items[0].status).toBe('revoked');
    expect((await api.post(`/invites/${created.id}/resend`, { token: admin.token })).status).toBe(409);
  });

  it('expire after 7 days: lookup and accept say 410, the list says expired', async () => {
    const group = await world.group();
    const email = newEmail('late');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60_000);
    const old = await createInvite(admin.principal, group.id, { email }, { now: eightDaysAgo });
    expect(old.delivery.status).toBe('failed');
    expect(new Date(old.expiresAt).getTime()).toBe(eightDaysAgo.getTime() + 7 * 24 * 60 * 60_000);
    const token = refusedToken(email);
    expect((await api.get(`/invites/lookup?token=${token}`)).status).toBe(410);
    expect(
      (await api.post('/invites/accept', { body: { token, name: 'E', password: 'a password long enough' } })).status,
    ).toBe(410);
    const listed = await api.get(`/groups/${group.id}/invites`, { token: admin.token });
    expect(listed.body.items[0]).toMatchObject({ id: old.id, status: 'expired' });
    // An expired invitation can be resent (a new 7-day link), even once TTL has removed its old e-mail.
    const stored = await getInvite(old.id);
    await dynamoClient().send(
      new DeleteCommand({ TableName: config.tableName, Key: outboxKeys.item(stored?.outboxId ?? '') }),
    );
    const resent = await api.post(`/invites/${old.id}/resend`, { token: admin.token });
    expect(resent.body.invite.status).toBe('pending');
  });

  it('answer 410 for a token that never existed, and 400 for no token', async () => {
    expect((await api.get(`/invites/lookup?token=${'x'.repeat(43)}`)).status).toBe(410);
    const missing = await api.get('/invites/lookup');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: 'token', issue: 'required' }]);
  });
});

describe('accepting with an e-mail that already has an account', () => {
  it("adds the membership with the account's own password, keeping its name and password", async () => {
    const [first, second] = [await world.group(), await world.group()];
    const existing = await world.customer({ group: first });
    const { token } = await invite(second, existing.email);
    const lookup = await api.get(`/invites/lookup?token=${encodeURIComponent(token)}`);
    expect(lookup.body).toMatchObject({ email: existing.email, role: 'customer', existingAccount: true });
    const accepted = await api.post('/invites/accept', {
      body: { token, name: 'Another Name', password: existing.password },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ id: existing.user.id, name: existing.user.name, role: 'customer' });
    expect(accepted.body.user.groups.map((g: { id: string }) => g.id).sort()).toEqual([first.id, second.id].sort());
    expect(
      (await api.post('/auth/login', { body: { email: existing.email, password: existing.password } })).status,
    ).toBe(200);
  });

  it('makes a host-platform user a customer with the password they choose', async () => {
    const group = await world.group();
    const visitor = await world.platformUser();
    const { token } = await invite(group, visitor.email);
    const accepted = await api.post('/invites/accept', {
      body: { token, name: 'V', password: 'my first portal password' },
    });
    expect(accepted.body.user).toMatchObject({ id: visitor.user.id, role: 'customer', groups: [{ id: group.id }] });
    const login = await api.post('/auth/login', {
      body: { email: visitor.email, password: 'my first portal password' },
    });
    expect(login.status).toBe(200);
  });

  it('refuses to invite someone who is already a member (409)', async () => {
    const member = await world.customer();
    const res = await api.post(`/groups/${member.group.id}/invites`, {
      token: admin.token,
      body: { email: member.email },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });
});

describe('who may manage invitations', () => {
  it('lets an agent invite, list, resend and revoke', async () => {
    const agent = await world.agent();
    const group = await world.group();
    const { invite: created } = await invite(group, newEmail(), agent);
    expect(created.createdBy).toBe(agent.user.id);
    expect((await api.get(`/groups/${group.id}/invites`, { token: agent.token })).status).toBe(200);
    expect((await api.post(`/invites/${created.id}/resend`, { token: agent.token })).status).toBe(200);
    expect((await api.delete(`/invites/${created.id}`, { token: agent.token })).status).toBe(204);
  });

  it('refuses a customer: 403 in its own group, 404 in another group, and changes nothing', async () => {
    const customer = await world.customer();
    const other = await world.group();
    const { invite: othersInvite } = await invite(other);
    const own = await api.get(`/groups/${customer.group.id}/invites`, { token: customer.token });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('forbidden');
    const foreign = await api.get(`/groups/${other.id}/invites`, { token: customer.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    const email = newEmail('sneaky');
    expect(
      (await api.post(`/groups/${customer.group.id}/invites`, { token: customer.token, body: { email } })).status,
    ).toBe(403);
    expect((await api.post(`/groups/${other.id}/invites`, { token: customer.token, body: { email } })).status).toBe(
      404,
    );
    expect(await mailTo(email)).toHaveLength(0);
    expect((await api.post(`/invites/${othersInvite.id}/resend`, { token: customer.token })).status).toBe(404);
    expect((await api.delete(`/invites/${othersInvite.id}`, { token: customer.token })).status).toBe(404);
    const after = await api.get(`/groups/${other.id}/invites`, { token: admin.token });
    expect(after.body.items[0]).toMatchObject({ id: othersInvite.id, status: 'pending' });
  });

  it('refuses an auditor (read-only) with 403', async () => {
    const auditor = await world.auditor();
    const group = await world.group();
    expect(
      (await api.post(`/groups/${group.id}/invites`, { token: auditor.token, body: { email: newEmail() } })).status,
    ).toBe(403);
  });

  it('answers 404 for an unknown group or invitation', async () => {
    expect(
      (await api.post(`/groups/${ulid()}/invites`, { token: admin.token, body: { email: newEmail() } })).status,
    ).toBe(404);
    expect((await api.post(`/invites/${ulid()}/resend`, { token: admin.token })).status).toBe(404);
    expect((await api.delete(`/invites/${ulid()}`, { token: admin.token })).status).toBe(404);
  });

  it('validates the invitation body', async () => {
    const group = await world.group();
    const res = await api.post(`/groups/${group.id}/invites`, {
      token: admin.token,
      body: { email: 'nope', role: 'admin' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'email', issue: expect.any(String) },
        { path: 'role', issue: 'unknown field' },
      ]),
    );
  });
});
