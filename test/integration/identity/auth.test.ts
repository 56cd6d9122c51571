// Signing in, staying signed in and getting back in: login, lockout, refresh rotation, logout, password
// reset, the host platform's sign-in, and what happens to forged, expired and replayed tokens.
import { connect } from 'node:net';
import type { Context } from 'aws-lambda';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ulid } from 'ulid';
import { describe, expect, inject, it, vi } from 'vitest';
import { handler as health } from '../../../functions/http/health.js';
import { gatewayId, httpEvent } from '../../../infra/local/gateway/events.js';
import { confirmPasswordReset, requestPasswordReset } from '../../../shared/auth/password-reset.js';
import { login, platformSignIn } from '../../../shared/auth/sessions.js';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { sesClient } from '../../../shared/aws/ses.js';
import { logger } from '../../../shared/observability/logger.js';
import { findUserByEmail } from '../../../shared/store/users.js';
import { api } from '../../support/http.js';
import { linkToken, mailTo, waitForMail } from '../../support/mailbox.js';
import { world } from '../../support/world.js';
import { groupsNamed } from './support.js';

const newEmail = (who = 'person') => `${who}-${ulid().toLowerCase()}@example.com`;
const withoutRequestId = (body: { requestId?: string }) => ({ ...body, requestId: undefined });

describe('POST /auth/login', () => {
  it('signs in with e-mail (any case) and password, answering tokens and the user', async () => {
    const customer = await world.customer();
    const res = await api.post('/auth/login', {
      body: { email: customer.email.toUpperCase(), password: customer.password },
    });
    expect(res.status).toBe(200);
    const signedIn = { ...customer.user, lastSignInAt: expect.any(String) };
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: signedIn,
    });
    expect((await api.get('/me', { token: res.body.accessToken })).body).toEqual({ user: signedIn });
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const agent = await world.agent();
    const wrongPassword = await api.post('/auth/login', { body: { email: agent.email, password: 'not the password' } });
    const unknownEmail = await api.post('/auth/login', {
      body: { email: newEmail('nobody'), password: 'not the password' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body.error.code).toBe('invalid_credentials');
    expect(withoutRequestId(unknownEmail.body)).toEqual(withoutRequestId(wrongPassword.body));
  });

  it('locks an e-mail at its 5th failure: that answer is already 429 with retry-after, and so is the right password', async () => {
    const customer = await world.customer();
    for (let i = 0; i < 4; i++) {
      const res = await api.post('/auth/login', { body: { email: customer.email, password: `wrong guess ${i}` } });
      expect(res.status).toBe(401);
    }
    const fifth = await api.post('/auth/login', { body: { email: customer.email, password: 'wrong guess 4' } });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('rate_limited');
    expect(fifth.headers['retry-after']).toBe('900');
    const locked = await api.post('/auth/login', { body: { email: customer.email, password: customer.password } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Another person is not affected.
    const other = await world.customer();
    expect((await api.post('/auth/login', { body: { email: other.email, password: other.password } })).status).toBe(
      200,
    );
  });

  it('locks unknown e-mails the same way, so the lockout tells nothing either', async () => {
    const email = newEmail('ghost');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await api.post('/auth/login', { body: { email, password: `wrong guess ${i}` } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await api.post('/auth/login', { body: { email, password: 'anything at all' } })).status).toBe(429);
  });

  it('lets no more than 5 of 10 guesses sent at the same moment be checked', async () => {
    const customer = await world.customer();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post('/auth/login', { body: { email: customer.email, password: `parallel guess ${i}` } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(answers.find((a) => a.status === 429)?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    // The burst used up the window: the right password is refused too.
    const right = await api.post('/auth/login', { body: { email: customer.email, password: customer.password } });
    expect(right.status).toBe(429);
  });

  it('logs the lockout when it starts', async () => {
    const customer = await world.customer();
    const warn = vi.spyOn(logger, 'warn');
    for (let i = 0; i < 4; i++) {
      await expect(login(customer.email, `wrong guess ${i}`, '203.0.113.9')).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    expect(warn.mock.calls.filter(([message]) => message === 'login locked out')).toHaveLength(0);
    await expect(login(customer.email, 'wrong guess 4', '203.0.113.9')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(login(customer.email, customer.password as string, '203.0.113.9')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(warn).toHaveBeenCalledWith('login locked out', expect.objectContaining({ email: customer.email }));
    expect(warn.mock.calls.filter(([message]) => message === 'login locked out')).toHaveLength(1);
    warn.mockRestore();
  });

  it('refuses malformed bodies with the contract errors', async () => {
    const notJson = await api.post('/auth/login', { rawBody: '{"email":', contentType: 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('malformed_json');
    const notJsonType = await api.post('/auth/login', {
      rawBody: 'email=a',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(notJsonType.status).toBe(415);
    const extra = await api.post('/auth/login', { body: { email: 'a@example.com', password: 'x', role: 'admin' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.details).toEqual([{ path: 'role', issue: 'unknown field' }]);
    const missing = await api.post('/auth/login', { body: {} });
    expect(missing.body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'email', issue: 'required' },
        { path: 'password', issue: 'required' },
      ]),
    );
  });

  it.each(['[]', 'null', '42', '"text"', 'true'])(
    'refuses a JSON body that is not an object (%s) with 400 validation_failed',
    async (rawBody) => {
      const res = await api.post('/auth/login', { rawBody, contentType: 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: { code: 'validation_failed', message: expect.any(String), details: [expect.any(Object)] },
        requestId: expect.any(String),
      });
    },
  );
});

describe('request ids', () => {
  it.each([
    ['with spaces', 'my request id'],
    ['longer than 64 characters', 'a'.repeat(65)],
    ['with characters outside [A-Za-z0-9._-]', 'id;<script>'],
  ])('ignores one %s and answers a generated one', async (_, sent) => {
    const res = await api.get('/me', { headers: { 'x-request-id': sent } });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toMatch(/\S/);
    expect(res.headers['x-request-id']).not.toBe(sent);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers a valid one unchanged (so the refusals above could fail)', async () => {
    for (const sent of ['client-req.1_A', 'b'.repeat(64)]) {
      const res = await api.get('/me', { headers: { 'x-request-id': sent } });
      expect(res.headers['x-request-id']).toBe(sent);
      expect(res.body.requestId).toBe(sent);
    }
  });

  it('ignores one with a line break: HTTP refuses to carry it, and a function handed one does not echo it', async () => {
    // The gateway's HTTP parser, like API Gateway's, refuses the request before any function runs.
    const { hostname, port } = new URL(inject('stack').httpUrl);
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.write(
      'GET /health HTTP/1.1\r\nHost: x\r\nx-request-id: abc\r\n Set-Cookie: a=1\r\nConnection: close\r\n\r\n',
    );
    await new Promise((resolve) => socket.on('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toContain('Set-Cookie');

    // Should one reach a function anyway, it gets a generated id, not the header's value.
    const time = new Date();
    const event = httpEvent(
      {
        method: 'GET',
        rawPath: '/health',
        rawQueryString: '',
        rawHeaders: ['x-request-id', 'abc\r\nSet-Cookie: a=1'],
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
        protocol: 'HTTP/1.1',
        port: 443,
        requestId: gatewayId(),
        time,
      },
      { routeKey: 'GET /health' },
      { apiId: 'local', stage: '$default' },
    );
    const result = await health(event, { functionName: 'health', awsRequestId: 'lambda-request-id' } as Context);
    expect(result.headers?.['x-request-id']).toBe(event.requestContext.requestId);
  });
});

describe('refresh tokens', () => {
  async function signIn() {
    const customer = await world.customer();
    const res = await api.post('/auth/login', { body: { email: customer.email, password: customer.password } });
    return { customer, session: res.body };
  }

  it('rotate: each refresh answers a new pair and spends the old token', async () => {
    const { customer, session } = await signIn();
    const next = await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ expiresIn: 900, user: customer.user });
    expect(next.body.refreshToken).not.toBe(session.refreshToken);
    expect((await api.get('/me', { token: next.body.accessToken })).status).toBe(200);
    const third = await api.post('/auth/refresh', { body: { refreshToken: next.body.refreshToken } });
    expect(third.status).toBe(200);
  });

  it('revoke the whole chain when a used one is presented again, and only that chain', async () => {
    const { customer, session } = await signIn();
    const phone = (await api.post('/auth/login', { body: { email: customer.email, password: customer.password } }))
      .body;
    const next = await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    const replay = await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('unauthenticated');
    // The thief's replay also cut off the token the rightful owner holds.
    expect((await api.post('/auth/refresh', { body: { refreshToken: next.body.refreshToken } })).status).toBe(401);
    // Other sessions of the same person are untouched.
    expect((await api.post('/auth/refresh', { body: { refreshToken: phone.refreshToken } })).status).toBe(200);
  });

  it('stop working after logout; logging out twice is fine', async () => {
    const { session } = await signIn();
    expect((await api.post('/auth/logout', { body: { refreshToken: session.refreshToken } })).status).toBe(204);
    expect((await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    expect((await api.post('/auth/logout', { body: { refreshToken: session.refreshToken } })).status).toBe(204);
    expect((await api.post('/auth/logout', { body: { refreshToken: 'never-issued' } })).status).toBe(204);
  });

  it('are refused when made up', async () => {
    const res = await api.post('/auth/refresh', { body: { refreshToken: 'x'.repeat(43) } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

describe('access tokens at the gateway', () => {
  const claims = { role: 'admin', groups: [], name: 'Mallory', email: 'mallory@example.com' };
  const signed = (key: Uint8Array, options: { alg?: string; exp?: number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'HS256' })
      .setSubject(ulid())
      .setIssuer('atende')
      .setAudience('atende-api')
      .setIssuedAt(options.exp ? options.exp - 900 : undefined)
      .setExpirationTime(options.exp ?? '15m')
      .sign(key);
  const realKey = () => new TextEncoder().encode(inject('stack').env.JWT_SECRET);

  it.each([
    ['signed with another key', () => signed(new TextEncoder().encode('not-the-key-but-long-enough-000000000'))],
    ['expired', () => signed(realKey(), { exp: Math.floor(Date.now() / 1000) - 60 })],
    [
      'alg none',
      async () =>
        new UnsecuredJWT(claims)
          .setSubject(ulid())
          .setIssuer('atende')
          .setAudience('atende-api')
          .setExpirationTime('15m')
          .encode(),
    ],
    ['HS512 with the right key', () => signed(realKey(), { alg: 'HS512' })],
    ['garbage', async () => 'garbage'],
  ])('refuses a token %s with 401 unauthenticated', async (_, make) => {
    const token = await make();
    const me = await api.get('/me', { token });
    expect(me.status).toBe(401);
    expect(me.body).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String) },
      requestId: expect.any(String),
    });
    const name = `0000 hijack ${ulid()}`;
    const group = await api.post('/groups', { token, body: { name } });
    expect(group.status).toBe(401);
    expect(await groupsNamed(name)).toEqual([]);
  });

  it("refuses a request without a token with the contract 401, not API Gateway's own body", async () => {
    const me = await api.get('/me');
    expect(me.status).toBe(401);
    expect(me.body).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String) },
      requestId: expect.any(String),
    });
  });

  it('accepts a token signed with the real key: the forgery tests above could fail', async () => {
    const admin = await world.admin();
    expect((await api.get('/me', { token: admin.token })).status).toBe(200);
    const name = `0000 not a hijack ${ulid()}`;
    expect((await api.post('/groups', { token: admin.token, body: { name } })).status).toBe(201);
    expect(await groupsNamed(name)).toHaveLength(1);
  });
});

describe('password reset', () => {
  /** Asks for a reset and waits for its e-mail, which the outbox job sends (every second in tests). */
  async function resetLink(email: string): Promise<string> {
    const requested = await api.post('/auth/password-reset', { body: { email } });
    expect(requested.status).toBe(202);
    const [mail] = await waitForMail(email);
    return linkToken(mail as NonNullable<typeof mail>, 'reset-password');
  }

  it('e-mails a single-use link; the new password works, the old one and old sessions do not', async () => {
    const customer = await world.customer();
    const session = (await api.post('/auth/login', { body: { email: customer.email, password: customer.password } }))
      .body;
    const token = await resetLink(customer.email);

    const confirmed = await api.post('/auth/password-reset/confirm', {
      body: { token, password: 'a brand new password' },
    });
    expect(confirmed.status).toBe(204);
    expect(
      (await api.post('/auth/login', { body: { email: customer.email, password: customer.password } })).status,
    ).toBe(401);
    expect(
      (await api.post('/auth/login', { body: { email: customer.email, password: 'a brand new password' } })).status,
    ).toBe(200);
    expect((await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);

    const replay = await api.post('/auth/password-reset/confirm', {
      body: { token, password: 'yet another password' },
    });
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe('gone');
    expect(
      (await api.post('/auth/login', { body: { email: customer.email, password: 'yet another password' } })).status,
    ).toBe(401);
  });

  it('ends the old sessions in the very write that sets the new password, even if nothing runs after it', async () => {
    const customer = await world.customer();
    const credentials = { email: customer.email, password: customer.password };
    const session = (await api.post('/auth/login', { body: credentials })).body;
    const token = await resetLink(customer.email);

    // The function dies the moment its transaction is written: every later DynamoDB call fails.
    const stack = dynamoClient().middlewareStack;
    let written = false;
    stack.add(
      (next, context) => async (args) => {
        if (written) throw new Error('the function is gone');
        const result = await next(args);
        if (context.commandName?.startsWith('TransactWrite')) written = true;
        return result;
      },
      { step: 'initialize', name: 'dieAfterTransaction' },
    );
    try {
      await confirmPasswordReset(token, 'a brand new password', '203.0.113.9').catch(() => undefined);
    } finally {
      stack.remove('dieAfterTransaction');
    }
    expect(written).toBe(true);

    expect((await api.post('/auth/login', { body: { ...credentials, password: 'a brand new password' } })).status).toBe(
      200,
    );
    const old = await api.post('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('unauthenticated');
  });

  it('gives a link valid for 1 hour: 410 after it, and it works until then', async () => {
    const customer = await world.customer();
    const token = await resetLink(customer.email);
    const sentAt = Date.now();
    const later = (minutes: number) => new Date(sentAt + minutes * 60_000);
    await expect(confirmPasswordReset(token, 'one minute too late', '203.0.113.9', later(61))).rejects.toMatchObject({
      code: 'gone',
    });
    await expect(confirmPasswordReset(token, 'one minute to spare', '203.0.113.9', later(59))).resolves.toBe(
      customer.email,
    );
    expect(
      (await api.post('/auth/login', { body: { email: customer.email, password: 'one minute to spare' } })).status,
    ).toBe(200);
  });

  it('answers 202 and nothing else for an unknown e-mail, and sends nothing', async () => {
    const known = await world.customer();
    const email = newEmail('unknown');
    const unknown = await api.post('/auth/password-reset', { body: { email } });
    const existing = await api.post('/auth/password-reset', { body: { email: known.email } });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(existing.body);
    // The job takes due requests oldest first: once the later one's e-mail is out, the unknown one was handled.
    await waitForMail(known.email);
    expect(await mailTo(email)).toHaveLength(0);
  });

  it('does the same work for an address with an account and one without: it only queues the request', async () => {
    const known = await world.customer();
    const record = async (email: string) => {
      const calls: string[] = [];
      const spy = (client: { middlewareStack: ReturnType<typeof dynamoClient>['middlewareStack'] }) =>
        client.middlewareStack.add(
          (next, context) => (args) => {
            calls.push(context.commandName ?? '?');
            return next(args);
          },
          { step: 'initialize', name: 'recordCalls' },
        );
      spy(dynamoClient());
      spy(sesClient());
      try {
        await requestPasswordReset(email);
      } finally {
        dynamoClient().middlewareStack.remove('recordCalls');
        sesClient().middlewareStack.remove('recordCalls');
      }
      return calls;
    };
    const forAccount = await record(known.email);
    expect(forAccount).toEqual(await record(newEmail('nobody')));
    expect(forAccount).toHaveLength(1);
    expect(forAccount.join()).not.toMatch(/Email/);
    // And yet the person with an account gets the link.
    await waitForMail(known.email);
  });

  it('refuses a made-up token with 410 and a short password with 400', async () => {
    expect(
      (
        await api.post('/auth/password-reset/confirm', {
          body: { token: 'x'.repeat(43), password: 'long enough password' },
        })
      ).status,
    ).toBe(410);
    const short = await api.post('/auth/password-reset/confirm', { body: { token: 'x', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ path: 'password', issue: expect.any(String) }]);
  });
});

describe('POST /auth/platform', () => {
  const platformKey = () => new TextEncoder().encode(inject('stack').env.PLATFORM_SECRET);
  // Each token its own (a `jti`), as a host platform mints them: a token works once.
  const platformToken = (claims: Record<string, unknown>, expiresIn: string | number = '5m', key = platformKey()) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setJti(ulid())
      .setExpirationTime(expiresIn)
      .sign(key);

  it('signs a new person in as a platform_user, and the same one again next time', async () => {
    const email = newEmail('visitor');
    const first = await api.post('/auth/platform', {
      body: { platformToken: await platformToken({ sub: 'p-1', email, name: 'Visitante' }) },
    });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ email, name: 'Visitante', role: 'platform_user', groups: [] });
    const again = await api.post('/auth/platform', {
      body: { platformToken: await platformToken({ sub: 'p-1', email, name: 'Visitante' }) },
    });
    expect(again.body.user.id).toBe(first.body.user.id);
    const groups = await api.get('/groups', { token: again.body.accessToken });
    expect(groups.body.items).toEqual([]);
  });

  it('answers the portal account when the e-mail already has one', async () => {
    const customer = await world.customer();
    const res = await api.post('/auth/platform', {
      body: { platformToken: await platformToken({ sub: 'p-2', email: customer.email, name: 'X' }) },
    });
    expect(res.body.user).toEqual({ ...customer.user, lastSignInAt: expect.any(String) });
  });

  it.each(['agent', 'admin', 'auditor'] as const)(
    'refuses the account of an %s with 401 and logs the attempt: staff sign in with their password',
    async (role) => {
      const staff = await world[role]();
      const token = () => platformToken({ sub: `p-${role}`, email: staff.email, name: 'Impostor' });
      const res = await api.post('/auth/platform', { body: { platformToken: await token() } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: { code: 'unauthenticated', message: expect.any(String) },
        requestId: expect.any(String),
      });
      expect(await findUserByEmail(staff.email)).toMatchObject({ id: staff.user.id, role });
      const warn = vi.spyOn(logger, 'warn');
      await expect(platformSignIn(await token())).rejects.toMatchObject({ code: 'unauthenticated' });
      expect(warn).toHaveBeenCalledWith(
        'platform sign-in refused for a staff account',
        expect.objectContaining({ userId: staff.user.id, role }),
      );
      warn.mockRestore();
    },
  );

  it.each([
    [
      'signed with another secret',
      (email: string) =>
        platformToken(
          { sub: 's', email, name: 'N' },
          '5m',
          new TextEncoder().encode('wrong-platform-secret-0123456789abcdef'),
        ),
    ],
    [
      'alg none',
      async (email: string) => new UnsecuredJWT({ sub: 's', email, name: 'N' }).setExpirationTime('5m').encode(),
    ],
    ['expired', (email: string) => platformToken({ sub: 's', email, name: 'N' }, Math.floor(Date.now() / 1000) - 120)],
    ['valid for more than 10 minutes', (email: string) => platformToken({ sub: 's', email, name: 'N' }, '1h')],
    ['without a name', (email: string) => platformToken({ sub: 's', email })],
    ['without an e-mail', () => platformToken({ sub: 's', name: 'N' })],
  ])('refuses a platform token %s with 401 and creates no one', async (_, make) => {
    const email = newEmail('refused');
    const res = await api.post('/auth/platform', { body: { platformToken: await make(email) } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(await findUserByEmail(email)).toBeUndefined();
  });

  it('creates the person a valid token names (so the check above could fail)', async () => {
    const email = newEmail('accepted');
    const res = await api.post('/auth/platform', {
      body: { platformToken: await platformToken({ sub: 's', email, name: 'N' }) },
    });
    expect(res.status).toBe(200);
    expect(await findUserByEmail(email)).toMatchObject({ id: res.body.user.id, role: 'platform_user' });
  });
});
