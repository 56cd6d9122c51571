import { ulid } from 'ulid';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { call, type Json } from '../../../bench/clients.js';
import { getInvite } from '../../../shared/store/invites.js';
import { getOutboxItem } from '../../../shared/store/outbox.js';
import { eventually } from '../../support/eventually.js';
import { linkToken, mailTo } from '../../support/mailbox.js';
import { timePassesUntilRetry } from '../../support/outbox.js';
import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from './isolated.js';

// The outbox job runs every second in this gateway.
const isolated = useIsolatedGateway({ scheduleSeconds: 1 });
const isSend = (request: { name: string }) => request.name === 'POST /v2/email/outbound-emails';

let admin: Person;
beforeAll(async () => {
  admin = await world.admin();
});

describe('when SES is down', () => {
  it('keeps the invitation, shows the failure, retries on schedule and delivers one e-mail once SES is back', async () => {
    const group = await world.group();
    const email = `outage-${ulid().toLowerCase()}@example.com`;
    const listed = async (): Promise<Json> =>
      (await call(isolated.urls.httpUrl, 'GET', `/groups/${group.id}/invites`, { token: admin.token })).body.items;
    isolated.ses.inject({ fault: 'unavailable' });

    const created = await call(isolated.urls.httpUrl, 'POST', `/groups/${group.id}/invites`, {
      token: admin.token,
      body: { email },
    });

    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const invite = created.body.invite;
    expect(invite).toMatchObject({ status: 'pending', delivery: { status: 'failed', attempts: 1 } });
    expect(invite.delivery.lastError).toMatch(/\S/);
    // The SDK retried SES before the outbox recorded the attempt as failed.
    expect(isolated.ses.operations.filter(isSend).length).toBeGreaterThan(1);
    // The gateway printed it before answering, but its output reaches this process through a pipe: wait for it.
    await eventually(
      () => isolated.output.some((line) => line.includes('mail send failed')),
      'mail send failed logged',
    );
    expect(await listed()).toEqual([expect.objectContaining({ id: invite.id, delivery: invite.delivery })]);
    const outboxId = (await getInvite(invite.id))?.outboxId as string;

    await timePassesUntilRetry(outboxId);
    await vi.waitFor(
      async () => expect((await listed())[0].delivery).toMatchObject({ status: 'failed', attempts: 2 }),
      {
        timeout: 20_000,
        interval: 200,
      },
    );
    expect(await mailTo(email)).toEqual([]);

    isolated.ses.clearFaults();
    await timePassesUntilRetry(outboxId);
    await vi.waitFor(async () => expect((await listed())[0].delivery).toEqual({ status: 'sent', attempts: 3 }), {
      timeout: 20_000,
      interval: 200,
    });
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    const lookup = await call(
      isolated.urls.httpUrl,
      'GET',
      `/invites/lookup?token=${encodeURIComponent(linkToken(mails[0] as (typeof mails)[0], 'accept-invite'))}`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.body.email).toBe(email);
    // Delivered means done: nothing is owed any more, so no later run sends it again.
    expect((await getOutboxItem(outboxId))?.nextAttemptAt).toBeUndefined();
  });
});
