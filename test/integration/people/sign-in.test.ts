// Ways in that must not open someone else's session: the host platform vouching for an e-mail with another
// `sub` or with a token already used, an invitation link for an existing account without its password, a
// disabled person; and no session that lives forever.
import { SignJWT } from 'jose';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { openSession, refresh } from '../../../shared/auth/sessions.js';
import { getUser } from '../../../shared/store/users.js';
import { api } from '../../support/http.js';
import { waitForLine } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { invitationToken, newEmail } from './support.js';

const platformToken = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setJti(ulid())
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(inject('stack').env.PLATFORM_SECRET));

const platformSignIn = async (token: string) => api.post('/auth/platform', { body: { platformToken: token } });

describe('POST /auth/platform', () => {
  it("binds the first token's sub to the account and refuses another sub for that e-mail, logging why", async () => {
    const email = newEmail('visitor');
    const first = await platformSignIn(await platformToken({ sub: 'host-1', email, name: 'Visitante' }));
    expect(first.status).toBe(200);
    const same = await platformSignIn(await platformToken({ sub: 'host-1', email, name: 'Visitante' }));
    expect(same.body.user.id).toBe(first.body.user.id);
    const foreign = await platformSignIn(await platformToken({ sub: 'host-2', email, name: 'Outra pessoa' }));
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.code).toBe('unauthenticated');
    const line = await waitForLine(
      'the refused platform sign-in',
      (l) => l.requestId === foreign.headers['x-request-id'],
    );
    expect(line).toMatchObject({ status: 401, reason: 'platform_subject_mismatch' });
  });

  it('binds the sub of a portal customer on their first platform sign-in', async () => {
    const customer = await world.customer();
    const first = await platformSignIn(await platformToken({ sub: 'host-c1', email: customer.email, name: 'C' }));
    expect(first.body.user.id).toBe(customer.user.id);
    expect((await getUser(customer.user.id))?.platformSubject).toBe('host-c1');
    const foreign = await platformSignIn(await platformToken({ sub: 'host-c2', email: customer.email, name: 'C' }));
    expect(foreign.status).toBe(401);
  });

  it('refuses a token presented a second time', async () => {
    const email = newEmail('replay');
    const token = await platformToken({ sub: 'host-r', email, name: 'Replay' });
    expect((await platformSignIn(token)).status).toBe(200);
    const replayed = await platformSignIn(token);
    expect(replayed.status).toBe(401);
    const line = await waitForLine('the replay', (l) => l.requestId === replayed.headers['x-request-id']);
    expect(line.reason).toBe('platform_token_replayed');
  });

  it('refuses a disabled person', async () => {
    const admin = await world.admin();
    const visitor = await world.platformUser();
    const sub = `platform-${visitor.user.id}`;
    await api.patch(`/users/${visitor.user.id}`, { token: admin.token, body: { status: 'disabled' } });
    const res = await platformSignIn(await platformToken({ sub, email: visitor.email, name: 'V' }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

describe('an invitation for an existing account', () => {
  it("needs that account's password: a wrong one is 401 and counts as a failed sign-in", async () => {
    const agent = await world.agent();
    const [group, other] = [await world.group(), await world.group()];
    const customer = await world.customer({ group: other });
    const invited = await api.post(`/groups/${group.id}/invites`, {
      token: agent.token,
      body: { email: customer.email },
    });
    expect(invited.status).toBe(201);
    const token = await invitationToken(customer.email);
    const attempts = [];
    for (let i = 0; i < 5; i++) {
      attempts.push(
        await api.post('/invites/accept', { body: { token, name: 'Hijacker', password: `guess ${i} guess` } }),
      );
    }
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 429]);
    expect(attempts[0]?.body.error.code).toBe('invalid_credentials');
    // The failures were sign-in failures: the account's own login is locked for this address too.
    const login = await api.post('/auth/login', { body: { email: customer.email, password: customer.password } });
    expect(login.status).toBe(429);
    // And the invitation is still there for the real person, and the member list unchanged.
    const members = await api.get(`/groups/${group.id}/members`, { token: agent.token });
    expect(members.body.items).toEqual([]);
    expect((await api.get(`/invites/lookup?token=${encodeURIComponent(token)}`)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('end 30 days after sign-in however often they are refreshed', async () => {
    const customer = await world.customer();
    const user = await getUser(customer.user.id);
    const day = 24 * 60 * 60 * 1000;
    const started = new Date(Date.now() - 29 * day);
    const session = await openSession(user as NonNullable<typeof user>, started);
    const refreshed = await refresh(session.refreshToken, new Date(started.getTime() + 28 * day));
    await expect(refresh(refreshed.refreshToken, new Date(started.getTime() + 30 * day + 1000))).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('POST /auth/logout-all needs a signed-in caller', async () => {
    const res = await api.post('/auth/logout-all');
    expect(res.status).toBe(401);
  });
});
