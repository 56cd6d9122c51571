// Bounces and complaints, through the real local parts: an invitation sent to SES's mailbox simulator
// bounces (or draws a complaint) as on AWS, the events function suppresses the address, the invitation
// says so, nothing more is sent there, and an admin sees the list and clears an address.
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordMailEvent } from '../../../shared/mail/suppressions.js';
import { getSuppression } from '../../../shared/store/suppressions.js';
import { eventually } from '../../support/eventually.js';
import { api } from '../../support/http.js';
import { mailTo, waitForMail } from '../../support/mailbox.js';
import { pages } from '../../support/pages.js';
import { type Person, world } from '../../support/world.js';

// The simulator takes labels after a `+`: each test has addresses of its own.
const simulated = (outcome: 'bounce' | 'complaint') => `${outcome}+${ulid().toLowerCase()}@simulator.amazonses.com`;

let admin: Person;
beforeAll(async () => {
  admin = await world.admin();
});

async function suppressions(): Promise<{ email: string; reason: string; at: string }[]> {
  const all = [];
  for await (const { items } of pages('/suppressions', admin.token, { limit: '100' })) all.push(...items);
  return all;
}

const suppressionOf = (email: string) =>
  eventually(async () => (await suppressions()).find((s) => s.email === email), `${email} suppressed`);

async function invite(email: string) {
  const group = await world.group();
  const res = await api.post(`/groups/${group.id}/invites`, { token: admin.token, body: { email } });
  expect(res.status).toBe(201);
  return { group, invite: res.body.invite as { id: string; delivery: { status: string; lastError?: string } } };
}

const deliveryOf = async (groupId: string, inviteId: string) => {
  const res = await api.get(`/groups/${groupId}/invites`, { token: admin.token });
  return (res.body.items as { id: string; delivery: { status: string; lastError?: string } }[]).find(
    (i) => i.id === inviteId,
  )?.delivery;
};

describe('bounces and complaints', () => {
  it('suppresses an address that bounces: its invitation says bounced, and the next one is not sent', async () => {
    const address = simulated('bounce');
    const first = await invite(address);
    await waitForMail(address);

    const suppression = await suppressionOf(address);
    expect(suppression.reason).toBe('bounce');
    expect(Date.parse(suppression.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(
      await eventually(
        async () => (await deliveryOf(first.group.id, first.invite.id))?.status === 'bounced' || undefined,
        'the invitation marked bounced',
      ),
    ).toBe(true);

    const second = await invite(address);
    expect(second.invite.delivery.status).toBe('bounced');
    expect(second.invite.delivery.lastError).toMatch(/suppressed/);
    expect(await mailTo(address)).toHaveLength(1);
  });

  it('suppresses an address that complains, and its invitation says complained', async () => {
    const address = simulated('complaint');
    const first = await invite(address);
    expect((await suppressionOf(address)).reason).toBe('complaint');
    expect(
      await eventually(
        async () => (await deliveryOf(first.group.id, first.invite.id))?.status === 'complained' || undefined,
        'the invitation marked complained',
      ),
    ).toBe(true);
  });

  it('writes to the address again once an admin clears it', async () => {
    const address = simulated('bounce');
    await invite(address);
    await suppressionOf(address);

    const cleared = await api.delete(`/suppressions/${encodeURIComponent(address)}`, { token: admin.token });
    expect(cleared.status).toBe(204);
    expect((await suppressions()).some((s) => s.email === address)).toBe(false);

    const again = await invite(address);
    expect(again.invite.delivery.status).not.toBe('bounced');
    expect(await waitForMail(address, 2)).toHaveLength(2);
    // The simulator bounces it again, so the address is back on the list.
    await suppressionOf(address);
  });

  it('answers 404 for an address that is not suppressed, and 400 for something that is not an address', async () => {
    const missing = await api.delete(`/suppressions/${encodeURIComponent(`nobody-${ulid()}@example.com`)}`, {
      token: admin.token,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const invalid = await api.delete('/suppressions/not-an-address', { token: admin.token });
    expect(invalid.status).toBe(400);
  });

  it('shows and clears suppressions for admins only', async () => {
    const address = simulated('complaint');
    await invite(address);
    await suppressionOf(address);
    const agent = await world.agent();
    const customer = await world.customer();
    for (const person of [agent, customer]) {
      expect((await api.get('/suppressions', { token: person.token })).status).toBe(403);
      const del = await api.delete(`/suppressions/${encodeURIComponent(address)}`, { token: person.token });
      expect(del.status).toBe(403);
    }
    expect((await api.get('/suppressions')).status).toBe(401);
    expect((await api.delete(`/suppressions/${encodeURIComponent(address)}`)).status).toBe(401);
    // Still suppressed: nobody but an admin cleared it.
    expect((await suppressions()).some((s) => s.email === address)).toBe(true);
  });

  it('leaves an address alone after a transient bounce, and ignores events it does not understand', async () => {
    const address = `cheia-${ulid().toLowerCase()}@example.com`;
    const transient = {
      'detail-type': 'Email Bounced',
      detail: {
        eventType: 'Bounce',
        mail: { messageId: 'm1', tags: {} },
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: address }],
        },
      },
    };
    expect(await recordMailEvent(transient)).toEqual({ emails: [] });
    expect(await recordMailEvent({ 'detail-type': 'Email Bounced', detail: { nonsense: true } })).toEqual({
      emails: [],
    });
    expect(
      await recordMailEvent({ 'detail-type': 'Email Delivered', detail: { eventType: 'Delivery', mail: {} } }),
    ).toEqual({
      emails: [],
    });
    expect(await getSuppression(address)).toBeUndefined();
  });
});
