// The audit trail's acceptance test. A realistic morning through the local gateway — people sign in,
// one is locked out, tickets are opened, a chat runs over WebSocket, someone reaches for another group's
// ticket, the auditor looks around — and then `npm run audit`, run as a process on this run's request
// log, answers the five questions. Finally every line of the log is searched for every secret the
// morning used: passwords, access and refresh tokens, the connection ticket, message bodies.
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestLine } from '../../../shared/observability/logger.js';
import { api } from '../../support/http.js';
import { logText, waitForLog } from '../../support/request-log.js';
import { type Person, world } from '../../support/world.js';
import { connectWs, refusedWs } from '../../support/ws.js';
import { audit, by, functionLogText } from './support.js';

/** Everything a leak would expose; filled in as the morning goes. */
const secrets = new Map<string, string>();
const secret = (what: string, value: string) => {
  expect(value, what).toBeTruthy();
  secrets.set(what, value);
  return value;
};

let ana: Person & { group: { id: string } };
let bia: Person & { group: { id: string } };
let rui: Person & { group: { id: string } };
let carla: Person;
let olga: Person;
let portalTicket: { id: string };
let chatTicket: { id: string };
let startedAt: string;
let lockoutEndedAt: string;

const summary = (l: RequestLine) => `${l.route} ${l.status}`;
/** What Ana did once signed in, as `summary` lines in order: her portal ticket, then her chat. */
const anasWork = [
  'POST /tickets 201',
  'POST /tickets/{id}/messages 201',
  'POST /realtime/ticket 201',
  'ws $connect 200',
  'ws chat.start 200',
  'ws message.send 200',
  'ws $disconnect 200',
];

beforeAll(async () => {
  ana = await world.customer({ name: 'Ana Souza' });
  bia = await world.customer({ name: 'Bia Lima' });
  rui = await world.customer({ name: 'Rui Costa' });
  carla = await world.agent({ name: 'Carla Dias' });
  olga = await world.auditor({ name: 'Olga Reis' });
  for (const person of [ana, bia, rui, carla, olga]) {
    secret(`${person.user.name}'s password`, person.password as string);
    secret(`${person.user.name}'s fixture token`, person.token);
  }
  startedAt = new Date().toISOString();

  // Ana mistypes her password once, then signs in, and later refreshes her session.
  const typo = secret("Ana's mistyped password", `${ana.password}-typo`);
  expect((await api.post('/auth/login', { body: { email: ana.email, password: typo } })).status).toBe(401);
  const login = await api.post('/auth/login', { body: { email: ana.email, password: ana.password } });
  expect(login.status).toBe(200);
  secret("Ana's first access token", login.body.accessToken);
  secret("Ana's first refresh token", login.body.refreshToken);
  const refreshed = await api.post('/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
  expect(refreshed.status).toBe(200);
  const anaToken = secret("Ana's access token", refreshed.body.accessToken);
  secret("Ana's refresh token", refreshed.body.refreshToken);

  // Someone guesses Rui's password five times, then gives up: the fifth failure is the one that locks the
  // account, and its answer (429) says so, so the lockout is on the trail without a sixth attempt.
  for (let attempt = 1; attempt <= 5; attempt++) {
    const guess = secret(`guess ${attempt}`, `guess-${attempt}-${ulid()}`);
    const answer = await api.post('/auth/login', { body: { email: rui.email, password: guess } });
    expect(answer.status).toBe(attempt < 5 ? 401 : 429);
  }
  lockoutEndedAt = new Date().toISOString();

  // Ana opens a ticket on the portal and writes to it.
  const description = secret('ticket description', `Nota 1042 rejeitada, código ${ulid()}`);
  const created = await api.post('/tickets', {
    token: anaToken,
    body: { groupId: ana.group.id, topic: 'fiscal_document', subject: 'NF-e rejeitada', description },
  });
  expect(created.status).toBe(201);
  portalTicket = created.body.ticket;
  const portalMessage = secret('portal message', `Segue o XML da nota ${ulid()}`);
  const posted = await api.post(`/tickets/${portalTicket.id}/messages`, {
    token: anaToken,
    body: { body: portalMessage },
  });
  expect(posted.status).toBe(201);

  // Ana chats over WebSocket; Carla answers on the portal.
  const issued = await api.post('/realtime/ticket', { token: anaToken });
  expect(issued.status).toBe(201);
  const connectionTicket = secret('connection ticket', issued.body.ticket);
  const ws = await connectWs({ ticket: connectionTicket });
  try {
    const opening = secret('first chat message', `Não consigo emitir o boleto ${ulid()}`);
    ws.send({ action: 'chat.start', topic: 'billing', message: opening, requestId: 'ana-chat-start' });
    const started = await ws.next((f) => f.requestId === 'ana-chat-start');
    expect(started.type).toBe('chat.started');
    chatTicket = started.ticket;
    const followUp = secret('second chat message', `O erro aparece ao clicar em gerar ${ulid()}`);
    ws.send({
      action: 'message.send',
      ticketId: chatTicket.id,
      body: followUp,
      clientMessageId: 'ana-2',
      requestId: 'ana-follow-up',
    });
    expect((await ws.next((f) => f.requestId === 'ana-follow-up')).type).toBe('message.ack');
    const answer = secret("agent's answer", `Pode tentar de novo agora ${ulid()}`);
    const answered = await api.post(`/tickets/${chatTicket.id}/messages`, {
      token: carla.token,
      body: { body: answer },
    });
    expect(answered.status).toBe(201);
    await ws.next((f) => f.type === 'event' && f.event?.data?.body === answer);
  } finally {
    await ws.close();
  }
  // The spent connection ticket does not open a second connection.
  expect((await refusedWs({ ticket: connectionTicket })).status).toBe(401);

  // Bia, of another company, reaches for Ana's ticket; the auditor reads it and cannot change it.
  expect((await api.get(`/tickets/${portalTicket.id}`, { token: bia.token })).status).toBe(404);
  expect((await api.get(`/tickets/${portalTicket.id}`, { token: olga.token })).status).toBe(200);
  const patched = await api.patch(`/tickets/${portalTicket.id}`, {
    token: olga.token,
    headers: { 'if-match': '"3"' },
    body: { status: 'closed' },
  });
  expect(patched.status).toBe(403);

  await waitForLog('the whole morning', (lines) => {
    const anas = lines.filter(by(ana.user.id));
    return anas.some((l) => l.route === 'ws $disconnect') && lines.some((l) => by(olga.user.id)(l) && l.status === 403);
  });
});

// Each question is a fresh `npm run audit` process (npm, then tsx): seconds each on a busy machine.
describe('npm run audit, after a morning at the help desk', { timeout: 60_000 }, () => {
  it('tells everything Ana did, by her user id', async () => {
    const { code, lines } = await audit('--user', ana.user.id, '--json');
    expect(code).toBe(0);
    expect(lines.filter(by(ana.user.id)).map(summary)).toEqual([
      'POST /auth/login 200',
      'POST /auth/refresh 200',
      ...anasWork,
    ]);
    expect(lines.find((l) => l.action === 'ticket.create')?.resource).toEqual({ type: 'ticket', id: portalTicket.id });
    expect(lines.find((l) => l.action === 'chat.start')?.resource).toEqual({ type: 'ticket', id: chatTicket.id });
  });

  it('tells every sign-in attempt on Ana’s account and everything she then did, by her e-mail', async () => {
    const { lines } = await audit('--user', ana.email, '--json');
    expect(lines.filter((l) => l.resource?.type === 'account').map((l) => `${l.action} ${l.status}`)).toEqual([
      'auth.login 401',
      'auth.login 200',
      'auth.refresh 200',
    ]);
    expect(lines.filter((l) => l.resource?.type !== 'account').map(summary)).toEqual(anasWork);
  });

  it('tells every access to the portal ticket, whoever made it and however it ended', async () => {
    const { lines } = await audit('--ticket', portalTicket.id, '--json');
    expect(lines.map((l) => [l.action, l.principal?.userId, l.status, l.outcome])).toEqual([
      ['ticket.create', ana.user.id, 201, 'success'],
      ['ticket.message', ana.user.id, 201, 'success'],
      ['ticket.get', bia.user.id, 404, 'denied'],
      ['ticket.get', olga.user.id, 200, 'success'],
      ['ticket.update', olga.user.id, 403, 'denied'],
    ]);
  });

  it('tells every access to the chat, over WebSocket and HTTP alike', async () => {
    const { lines } = await audit('--ticket', chatTicket.id, '--json');
    expect(lines.map((l) => `${l.route} ${l.principal?.userId}`)).toEqual([
      `ws chat.start ${ana.user.id}`,
      `ws message.send ${ana.user.id}`,
      `POST /tickets/{id}/messages ${carla.user.id}`,
    ]);
  });

  it('lists the denied and failed requests of the morning', async () => {
    const { lines } = await audit('--outcome', 'denied,error', '--since', startedAt, '--json');
    expect(lines.every((l) => l.outcome === 'denied' || l.outcome === 'error')).toBe(true);
    const ours = lines.filter(
      (l) =>
        [ana.email, rui.email].includes(l.resource?.id ?? '') ||
        [bia.user.id, olga.user.id].includes(l.principal?.userId ?? '') ||
        (l.route === 'ws $connect' && l.status === 401),
    );
    expect(ours.map((l) => `${summary(l)} ${l.errorCode}`)).toEqual(
      expect.arrayContaining([
        'POST /auth/login 401 invalid_credentials',
        'POST /auth/login 429 rate_limited',
        'ws $connect 401 unauthenticated',
        'GET /tickets/{id} 404 not_found',
        'PATCH /tickets/{id} 403 forbidden',
      ]),
    );
    expect(ours.filter((l) => l.resource?.id === rui.email)).toHaveLength(5);
  });

  it('tells who signed in, and who was locked out', async () => {
    const signedIn = await audit('--route', 'POST /auth/login', '--outcome', 'success', '--since', startedAt, '--json');
    expect(signedIn.lines.map((l) => l.resource?.id)).toContain(ana.email);
    expect(signedIn.lines.map((l) => l.resource?.id)).not.toContain(rui.email);

    const lockedOut = await audit('--route', 'POST /auth/login', '--status', '429', '--since', startedAt, '--json');
    expect(lockedOut.lines.map((l) => l.resource?.id)).toContain(rui.email);
    expect(lockedOut.lines.map((l) => l.resource?.id)).not.toContain(ana.email);
  });

  it('answers for a period: --since and --until bound the lines by time', async () => {
    const before = await audit('--user', rui.email, '--until', startedAt, '--json');
    expect(before.lines).toEqual([]);
    const during = await audit('--user', rui.email, '--since', startedAt, '--until', lockoutEndedAt, '--json');
    expect(during.lines.map(summary)).toEqual([...Array(4).fill('POST /auth/login 401'), 'POST /auth/login 429']);
    const after = await audit('--user', rui.email, '--since', lockoutEndedAt, '--json');
    expect(after.lines).toEqual([]);
  });

  it('prints a table a person can read', async () => {
    const { code, stdout } = await audit('--ticket', portalTicket.id);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toMatch(/^TIME\s+ROUTE\s+STATUS\s+OUTCOME\s+WHO\s+RESOURCE\s+ERROR\s+SOURCE IP$/);
    expect(rows).toHaveLength(5);
    expect(rows[2]).toMatch(
      new RegExp(
        `GET /tickets/\\{id\\}\\s+404\\s+denied\\s+customer ${bia.user.id}\\s+ticket ${portalTicket.id}\\s+not_found`,
      ),
    );
  });
});

describe('the request log', () => {
  it('holds no password, token, connection ticket or message of the morning, on any line', async () => {
    const lines = await logText();
    // The log really holds the morning: the search below is over real lines.
    expect(lines.filter((l) => l.includes(ana.user.id)).length).toBeGreaterThanOrEqual(7);
    expect(secrets.size).toBeGreaterThanOrEqual(20);
    const leaks = [...secrets].flatMap(([what, value]) =>
      lines.flatMap((line, index) => (line.includes(value) ? [`${what} on line ${index + 1}`] : [])),
    );
    expect(leaks).toEqual([]);
  });

  it('keeps diagnostics and metrics out of it, and they hold no secret of the morning either', async () => {
    const lines = await functionLogText();
    // The function log really holds the morning's metrics: Ana opened a ticket on the portal and a chat.
    const metrics = lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
    expect(metrics.map((m) => `${Object.keys(m).find((k) => /^[A-Z]/.test(k))} ${m.channel}`)).toEqual(
      expect.arrayContaining(['TicketCreated portal', 'TicketCreated chat', 'FirstResponseMs chat']),
    );
    expect((await logText()).some((l) => l.includes('"_aws"'))).toBe(false);
    const leaks = [...secrets].flatMap(([what, value]) =>
      lines.flatMap((line, index) => (line.includes(value) ? [`${what} on line ${index + 1}`] : [])),
    );
    expect(leaks).toEqual([]);
  });

  it('gives every line every field of the audit record', async () => {
    const lines = (await logText()).map((l) => JSON.parse(l) as Record<string, unknown>);
    const fields = [
      'timestamp',
      'level',
      'requestId',
      'lambdaRequestId',
      'traceId',
      'route',
      'status',
      'latencyMs',
      'principal',
      'action',
      'resource',
      'outcome',
      'errorCode',
      'sourceIp',
      'userAgent',
      'coldStart',
      'functionName',
    ];
    const incomplete = lines.filter((l) => fields.some((f) => !(f in l)));
    expect(incomplete).toEqual([]);
    const anas = lines.filter((l) => (l.principal as { userId?: string } | null)?.userId === ana.user.id);
    for (const line of anas) {
      expect(line).toMatchObject({
        principal: { userId: ana.user.id, role: 'customer', groupIds: [ana.group.id] },
        sourceIp: expect.any(String),
        functionName: expect.stringMatching(/^atende-/),
        lambdaRequestId: expect.any(String),
      });
    }
  });
});
