import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type AuditQuery,
  accessChangeActions,
  dataRequestActions,
  parseAuditArgs,
  readRequestLog,
  runAudit,
  tableHeader,
  tableRow,
  UsageError,
} from '../../../../../infra/local/audit/query.js';
import { logRequest, type RequestLine, type RequestLogFields } from '../../../../../shared/observability/logger.js';
import { printedLines } from '../../../shared/observability/printed.js';

type Caller = RequestLogFields['principal'];
const ana: Caller = { userId: '01ANA', role: 'customer', groupIds: ['G-ACME'] };
const bia: Caller = { userId: '01BIA', role: 'customer', groupIds: ['G-OTHER'] };
const carla: Caller = { userId: '01CARLA', role: 'agent', groupIds: [] };
const olga: Caller = { userId: '01OLGA', role: 'auditor', groupIds: [] };

type Entry = [at: string, fields: Omit<RequestLogFields, 'requestId' | 'latencyMs'>];

// A morning at the help desk, as the real logger writes it.
// biome-ignore format: one request per row reads like the log it stands for
const session: Entry[] = [
  ['2025-03-01T09:00:00.000Z', { route: 'POST /auth/login', status: 401, action: 'auth.login', resource: { type: 'account', id: 'ana@example.com' }, errorCode: 'invalid_credentials' }],
  ['2025-03-01T09:00:05.000Z', { route: 'POST /auth/login', status: 200, action: 'auth.login', principal: ana, resource: { type: 'account', id: 'ana@example.com' } }],
  ['2025-03-01T09:01:00.000Z', { route: 'POST /tickets', status: 201, action: 'ticket.create', principal: ana, resource: { type: 'ticket', id: 'T1' } }],
  ['2025-03-01T09:02:00.000Z', { route: 'ws message.send', status: 200, action: 'message.send', principal: ana, resource: { type: 'ticket', id: 'T1' }, connectionId: 'C1' }],
  ['2025-03-01T09:03:00.000Z', { route: 'GET /tickets/{id}', status: 404, action: 'ticket.get', principal: bia, resource: { type: 'ticket', id: 'T1' }, errorCode: 'not_found' }],
  ['2025-03-01T09:04:00.000Z', { route: 'POST /tickets/{id}/messages', status: 201, action: 'message.post', principal: carla, resource: { type: 'ticket', id: 'T1' } }],
  ['2025-03-01T09:05:00.000Z', { route: 'PATCH /tickets/{id}', status: 403, action: 'ticket.update', principal: olga, resource: { type: 'ticket', id: 'T1' }, errorCode: 'forbidden' }],
  ['2025-03-01T09:06:00.000Z', { route: 'GET /tickets/{id}/events', status: 200, action: 'ticket.events', principal: olga, resource: { type: 'ticket', id: 'T1' } }],
  ['2025-03-01T09:07:00.000Z', { route: 'POST /tickets', status: 400, action: 'ticket.create', principal: bia, errorCode: 'validation_failed' }],
  ['2025-03-01T09:08:00.000Z', { route: 'GET /tickets', status: 503, action: 'ticket.list', principal: carla, errorCode: 'unavailable' }],
  ...[1, 2, 3, 4, 5].map((n): Entry => [`2025-03-01T10:00:0${n}.000Z`, { route: 'POST /auth/login', status: 401, action: 'auth.login', resource: { type: 'account', id: 'bia@example.com' }, errorCode: 'invalid_credentials' }]),
  ['2025-03-01T10:00:06.000Z', { route: 'POST /auth/login', status: 429, action: 'auth.login', resource: { type: 'account', id: 'bia@example.com' }, errorCode: 'rate_limited' }],
  ['2025-03-01T11:00:00.000Z', { route: 'POST /auth/login', status: 200, action: 'auth.login', principal: ana, resource: { type: 'account', id: 'Ana@Example.com' } }],
  ['2025-03-01T11:00:10.000Z', { route: 'PATCH /users/{id}', status: 200, action: 'user.update', principal: carla, resource: { type: 'user', id: '01ANA' } }],
  ['2025-03-01T11:01:00.000Z', { route: 'GET /tickets/{id}', status: 200, action: 'ticket.get', principal: ana, resource: { type: 'ticket', id: 'T2' } }],
];

let logLines: string[] = [];

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  logLines = printedLines(() => {
    session.forEach(([at, fields], index) => {
      vi.setSystemTime(new Date(at));
      logRequest({ requestId: `R${index}`, latencyMs: 5, sourceIp: '198.51.100.7', ...fields });
    });
  });
});

afterAll(() => {
  vi.useRealTimers();
});

async function* linesOf(lines: string[]): AsyncIterable<string> {
  yield* lines;
}

async function ask(query: AuditQuery, lines = logLines) {
  const matches: RequestLine[] = [];
  const texts: string[] = [];
  const malformed: [number, string][] = [];
  const summary = await runAudit(() => linesOf(lines), query, {
    match: (line, text) => {
      matches.push(line);
      texts.push(text);
    },
    malformed: (lineNumber, problem) => malformed.push([lineNumber, problem]),
  });
  return { matches, texts, malformed, summary, requestIds: matches.map((m) => m.requestId) };
}

describe('npm run audit answers', () => {
  it('everything a person did, found by e-mail: their sign-ins, failed ones included, and every request they made', async () => {
    const { requestIds } = await ask({ user: 'ANA@example.com' });
    expect(requestIds).toEqual(['R0', 'R1', 'R2', 'R3', 'R16', 'R17', 'R18']);
  });

  it('everything a person did, found by user id, with the attempts on their account', async () => {
    const { requestIds } = await ask({ user: '01ANA' });
    expect(requestIds).toEqual(['R0', 'R1', 'R2', 'R3', 'R16', 'R17', 'R18']);
  });

  it('nothing for a person who never appears', async () => {
    const { matches, summary } = await ask({ user: 'nobody@example.com' });
    expect(matches).toEqual([]);
    expect(summary).toEqual({ read: logLines.length, matched: 0, malformed: 0 });
  });

  it('every access to a ticket, whoever made it and however it ended', async () => {
    const { matches } = await ask({ ticket: 'T1' });
    expect(matches.map((m) => [m.action, m.principal?.userId, m.outcome])).toEqual([
      ['ticket.create', '01ANA', 'success'],
      ['message.send', '01ANA', 'success'],
      ['ticket.get', '01BIA', 'denied'],
      ['message.post', '01CARLA', 'success'],
      ['ticket.update', '01OLGA', 'denied'],
      ['ticket.events', '01OLGA', 'success'],
    ]);
  });

  it('the requests that were denied or failed', async () => {
    const { requestIds } = await ask({ outcomes: ['denied', 'error'] });
    expect(requestIds).toEqual(['R0', 'R4', 'R6', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15']);
  });

  it('the requests refused as invalid', async () => {
    const { requestIds } = await ask({ outcomes: ['invalid'] });
    expect(requestIds).toEqual(['R8']);
  });

  it('who signed in', async () => {
    const { matches } = await ask({ routes: ['post /auth/login'], outcomes: ['success'] });
    expect(matches.map((m) => m.resource?.id)).toEqual(['ana@example.com', 'Ana@Example.com']);
  });

  it('who was locked out', async () => {
    const { matches } = await ask({ routes: ['POST /auth/login'], statuses: [429] });
    expect(matches.map((m) => [m.resource?.id, m.errorCode])).toEqual([['bia@example.com', 'rate_limited']]);
  });

  it('routes and actions by pattern', async () => {
    expect((await ask({ routes: ['ws *'] })).requestIds).toEqual(['R3']);
    expect((await ask({ actions: ['message.*'] })).requestIds).toEqual(['R3', 'R5']);
  });

  it('a period: from --since, up to but not including --until', async () => {
    const { requestIds } = await ask({
      since: new Date('2025-03-01T09:02:00Z'),
      until: new Date('2025-03-01T09:05:00Z'),
    });
    expect(requestIds).toEqual(['R3', 'R4', 'R5']);
  });

  it('filters combined: all must hold', async () => {
    const { requestIds } = await ask({ ticket: 'T1', outcomes: ['denied'], user: '01OLGA' });
    expect(requestIds).toEqual(['R6']);
  });

  it('lines exactly as they were logged, for --json', async () => {
    const { texts } = await ask({ ticket: 'T2' });
    expect(texts).toEqual([logLines.at(-1)]);
  });
});

describe('reading a damaged log', () => {
  it('reports each malformed line with its number, skips it and reads on', async () => {
    const damaged = [
      logLines[0] as string,
      '{"kind":"request","timestamp":"2025-03-01T09:00:00Z"',
      'Gateway listening on 3000',
      '',
      '{"kind":"debug","message":"hello"}',
      logLines[1] as string,
    ];
    const { malformed, summary, requestIds } = await ask({}, damaged);
    expect(malformed.map(([n, problem]) => [n, problem.split(' (')[0]])).toEqual([
      [2, 'not JSON'],
      [3, 'not JSON'],
      [5, 'not a request line'],
    ]);
    expect(requestIds).toEqual(['R0', 'R1']);
    expect(summary).toEqual({ read: 2, matched: 2, malformed: 3 });
  });

  it('reads a line with a missing principal or resource as anonymous', async () => {
    const line = JSON.parse(logLines[0] as string);
    delete line.principal;
    delete line.resource;
    const results = [];
    for await (const r of readRequestLog(linesOf([JSON.stringify(line)]))) results.push(r);
    expect(results).toMatchObject([{ lineNumber: 1, line: { requestId: 'R0' } }]);
  });
});

describe('the table', () => {
  it('shows when, what, how it ended, who and on what, one row per line under a header', async () => {
    const { matches } = await ask({ ticket: 'T1', outcomes: ['denied'] });
    const rows = matches.map(tableRow);
    expect(tableHeader()).toMatch(/^TIME\s+ROUTE\s+STATUS\s+OUTCOME\s+WHO\s+RESOURCE\s+ERROR\s+SOURCE IP$/);
    expect(rows[0]).toMatch(
      /^2025-03-01T09:03:00.000Z\s+GET \/tickets\/\{id\}\s+404\s+denied\s+customer 01BIA\s+ticket T1\s+not_found\s+198.51.100.7$/,
    );
    expect(rows[0]?.indexOf('404')).toBe(tableHeader().indexOf('STATUS'));
  });

  it('says who was not signed in, and shortens what does not fit its column', async () => {
    const { matches } = await ask({ statuses: [429] });
    const row = tableRow({ ...(matches[0] as RequestLine), route: `GET /${'x'.repeat(80)}` });
    expect(row).toContain('(not signed in)');
    expect(row).toContain('x…');
    expect(row.indexOf('429')).toBe(tableHeader().indexOf('STATUS'));
  });
});

describe('the command line', () => {
  const now = new Date('2025-03-08T12:00:00Z');

  it('understands every filter', () => {
    const options = parseAuditArgs(
      [
        '--user',
        'ana@example.com',
        '--ticket',
        'T1',
        '--outcome',
        'denied,error',
        '--route',
        'POST /auth/login',
        '--action',
        'auth.*',
        '--status',
        '401,429',
        '--since',
        '2025-03-01T00:00:00Z',
        '--until',
        '7d',
        '--json',
        '--file',
        '/tmp/x.jsonl',
      ],
      now,
    );
    expect(options).toEqual({
      query: {
        user: 'ana@example.com',
        ticket: 'T1',
        outcomes: ['denied', 'error'],
        routes: ['POST /auth/login'],
        actions: ['auth.*'],
        statuses: [401, 429],
        since: new Date('2025-03-01T00:00:00Z'),
        until: new Date('2025-03-01T12:00:00Z'),
      },
      json: true,
      file: '/tmp/x.jsonl',
      help: false,
    });
  });

  it('asks who gave or took access with --access-changes, the same actions as the deployed saved query', async () => {
    const { query } = parseAuditArgs(['--access-changes'], now);
    expect(query.actions).toEqual([...accessChangeActions]);
    const { matches } = await ask(query);
    // In the morning above, the one access change: Carla's change to Ana.
    expect(matches.map((l) => [l.action, l.principal?.userId, l.resource?.id])).toEqual([
      ['user.update', '01CARLA', '01ANA'],
    ]);
  });

  it('asks who exported or erased whose data with --data-requests, the same actions as the deployed saved query', () => {
    expect(parseAuditArgs(['--data-requests'], now).query.actions).toEqual([...dataRequestActions]);
    expect(dataRequestActions).toEqual(expect.arrayContaining(['me.data_export', 'user.data_export', 'user.erase']));
    // Together with --access-changes, the erasure is asked for once.
    const both = parseAuditArgs(['--access-changes', '--data-requests'], now).query.actions ?? [];
    expect(both.filter((action) => action === 'user.erase')).toHaveLength(1);
  });

  it('takes spans back from now in minutes, hours and days', () => {
    expect(parseAuditArgs(['--since', '30m'], now).query.since).toEqual(new Date('2025-03-08T11:30:00Z'));
    expect(parseAuditArgs(['--since', '12h'], now).query.since).toEqual(new Date('2025-03-08T00:00:00Z'));
  });

  it.each([
    [['--outcome', 'failed'], /--outcome: "failed"/],
    [['--status', '4xx'], /--status: "4xx"/],
    [['--since', 'yesterday'], /--since: "yesterday"/],
    [['--since', '2025-03-01'], /--since: "2025-03-01"/],
    [['--until', '2025-03-01T12:00:00'], /--until/],
    [['--colour'], /colour/],
    [['stray'], /stray/],
  ])('refuses %j with a message naming the problem', (argv, message) => {
    expect(() => parseAuditArgs(argv, now)).toThrow(UsageError);
    expect(() => parseAuditArgs(argv, now)).toThrow(message);
  });

  it('asks for help with --help or -h', () => {
    expect(parseAuditArgs(['--help']).help).toBe(true);
    expect(parseAuditArgs(['-h']).help).toBe(true);
  });
});
