// Attack: 100 password-reset requests for one address, meant to flood its inbox with live links and spend
// the SES reputation invitations depend on.
// Figure: all 100 are answered 202 (no enumeration, no hint of the limit), and one e-mail is sent.
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { mailTo, waitForMail } from '../../support/mailbox.js';
import { waitForLog } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { inParallel } from './support.js';

describe('password-reset e-mails', () => {
  it('100 requests for one address within 15 minutes: each answered 202, one e-mail', async () => {
    const target = await world.customer();
    const statuses = await inParallel(100, 8, async () => {
      const res = await api.post('/auth/password-reset', { body: { email: target.email } });
      return res.status;
    });
    expect(statuses).toEqual(new Array(100).fill(202));

    // The outbox job sends oldest first: once a later request's e-mail is out, every one of the 100 was handled.
    const later = await world.customer();
    expect((await api.post('/auth/password-reset', { body: { email: later.email } })).status).toBe(202);
    await waitForMail(later.email);
    const mails = await mailTo(target.email);
    expect(mails).toHaveLength(1);

    // The 99 requests over the limit are on the request log like the first (202), all for that account.
    const lines = await waitForLog(
      'the 100 reset requests',
      (all) =>
        all.filter((l) => l.route === 'POST /auth/password-reset' && l.resource?.id === target.email).length >= 100,
    );
    expect(
      lines.filter(
        (l) => l.route === 'POST /auth/password-reset' && l.resource?.id === target.email && l.status === 202,
      ),
    ).toHaveLength(100);
  });
});
