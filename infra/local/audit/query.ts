// Reading the request log back: the auditor's questions (who did what, who touched a ticket, what was
// denied or failed, who signed in, who was locked out, who gave or took access) as filters over request lines. Pure: lines come in
// as an async iterable, so `npm run audit` (main.ts) streams a file of any size through it.
import { parseArgs } from 'node:util';
import type { Outcome, RequestLine } from '../../../shared/observability/logger.js';
import * as z from '../../../shared/zod.js';

/**
 * The routes that open or renew a session: what "who signed in" means, here and in the deployed saved query
 * (infra/constructs/observability.ts).
 */
export const signInRoutes = [
  'POST /auth/login',
  'POST /auth/platform',
  'POST /auth/refresh',
  'POST /invites/accept',
] as const;

/**
 * The actions that give or take someone's access: what "Access changes" means, here (`--access-changes`)
 * and in the deployed saved query (infra/constructs/observability.ts). Each line names its target as
 * `resource`: the person (`user`, or `account` by e-mail before they have one), the group or the invite.
 */
export const accessChangeActions = [
  'staff.invite',
  'invite.create',
  'invite.resend',
  'invite.revoke',
  'invite.accept',
  'ticket.grant_access',
  'user.update',
  'group.member_remove',
  'group.update',
  'auth.logout_all',
  'auth.password_reset_confirm',
  'user.erase',
] as const;

/**
 * The requests about a person's data under the LGPD (docs/privacy.md): what "Data requests" means, here
 * (`--data-requests`) and in the deployed saved query. Each line names who asked (principal) and whom it
 * concerned (resource: the user; the erasure, for its progress; the policy, for retention).
 */
export const dataRequestActions = [
  'me.data_export',
  'user.data_export',
  'user.erase',
  'erasure.get',
  'retention_policy.update',
] as const;

export interface AuditQuery {
  /** A user id or an e-mail address. */
  user?: string;
  ticket?: string;
  outcomes?: Outcome[];
  /** `POST /auth/login`; `*` matches anything, e.g. `POST /auth/*`. */
  routes?: string[];
  /** `auth.login`, `ticket.*`. */
  actions?: string[];
  statuses?: number[];
  since?: Date;
  until?: Date;
}

export interface AuditOptions {
  query: AuditQuery;
  json: boolean;
  file?: string;
  help: boolean;
}

export const usage = `Usage: npm run audit -- [filters] [--json] [--file <path>]

Reads the request log ($ATENDE_DATA_DIR/logs/requests.jsonl, default .atende/logs/requests.jsonl)
and prints the lines that match every filter given, in the order they were logged.

Filters (a comma-separated list means any of them):
  --user <id or e-mail>   what this person did, and every sign-in attempt on their account
  --ticket <id>           every request that touched this ticket
  --outcome <outcomes>    success, denied (401/403/404/429), invalid (400/409/410/413/415), error (5xx)
  --route <routes>        e.g. "POST /auth/login" or "ws message.send"; * matches anything ("POST /auth/*")
  --action <actions>      e.g. auth.login, ticket.*
  --access-changes        who gave or took access to whom (invitations, role and status changes,
                          removals from groups, sign-outs everywhere, password resets, erasures)
  --data-requests         who exported or erased whose data (LGPD), and retention policy changes
  --status <codes>        e.g. 429 (lockouts when combined with --route "POST /auth/login")
  --since <time>          ISO-8601 (2025-03-01T12:00:00Z) or a span back from now: 30m, 12h, 7d
  --until <time>          same forms; lines before this instant

Output:
  --json                  one JSON line per match, exactly as logged (for jq and friends)
  --file <path>           read this file instead
  --help                  this text

Examples:
  npm run audit -- --user ana@example.com --since 7d
  npm run audit -- --ticket 01JQ3V0Z5X8K2M4N6P8R0T2V4W
  npm run audit -- --outcome denied,error
  npm run audit -- --route "${signInRoutes.join(',')}" --outcome success    (who signed in)
  npm run audit -- --route "POST /auth/login" --status 429                  (who was locked out)
  npm run audit -- --access-changes --since 30d                             (who gave or took access)
  npm run audit -- --data-requests                                          (who exported or erased whom)`;

export class UsageError extends Error {}

const outcomes = ['success', 'denied', 'invalid', 'error'] as const satisfies readonly Outcome[];

export function parseAuditArgs(argv: string[], now = new Date()): AuditOptions {
  let parsed: ReturnType<typeof parseArgsStrict>;
  try {
    parsed = parseArgsStrict(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const query: AuditQuery = {
    user: v.user,
    ticket: v.ticket,
    outcomes: list(v.outcome)?.map((o) => {
      if (!(outcomes as readonly string[]).includes(o)) {
        throw new UsageError(`--outcome: "${o}" is not one of ${outcomes.join(', ')}`);
      }
      return o as Outcome;
    }),
    routes: list(v.route),
    actions: actionsOf(v),
    statuses: list(v.status)?.map((s) => {
      if (!/^[1-5]\d\d$/.test(s)) throw new UsageError(`--status: "${s}" is not an HTTP status code`);
      return Number(s);
    }),
    since: v.since === undefined ? undefined : instant('--since', v.since, now),
    until: v.until === undefined ? undefined : instant('--until', v.until, now),
  };
  return { query, json: v.json ?? false, file: v.file, help: v.help ?? false };
}

/** `--action`, with what `--access-changes` and `--data-requests` stand for. */
function actionsOf(v: ReturnType<typeof parseArgsStrict>['values']): string[] | undefined {
  const named = [
    ...(v['access-changes'] ? accessChangeActions : []),
    ...(v['data-requests'] ? dataRequestActions : []),
    ...(list(v.action) ?? []),
  ];
  return named.length > 0 ? [...new Set(named)] : undefined;
}

function parseArgsStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      user: { type: 'string' },
      ticket: { type: 'string' },
      outcome: { type: 'string' },
      route: { type: 'string' },
      action: { type: 'string' },
      'access-changes': { type: 'boolean' },
      'data-requests': { type: 'boolean' },
      status: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
      file: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

const spanUnits = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// A date alone is not enough: the log is in UTC and the auditor may not be.
const isoInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

function instant(flag: string, value: string, now: Date): Date {
  const span = value.match(/^(\d+)([mhd])$/);
  if (span) return new Date(now.getTime() - Number(span[1]) * spanUnits[span[2] as keyof typeof spanUnits]);
  const time = Date.parse(value);
  if (!isoInstant.test(value) || Number.isNaN(time)) {
    throw new UsageError(
      `${flag}: "${value}" is neither an ISO-8601 time with a zone (2025-03-01T12:00:00Z) nor a span (30m, 12h, 7d)`,
    );
  }
  return new Date(time);
}

// Only what filtering and the table need is checked; the rest of the line is passed through as logged.
const requestLineShape = z.looseObject({
  kind: z.literal('request'),
  timestamp: z.string(),
  route: z.string(),
  status: z.number(),
  outcome: z.enum(outcomes),
  action: z.string(),
  principal: z.nullish(z.looseObject({ userId: z.string(), role: z.string() })),
  resource: z.nullish(z.looseObject({ type: z.string(), id: z.nullish(z.string()) })),
});

export type ReadResult =
  | { lineNumber: number; line: RequestLine; text: string }
  | { lineNumber: number; problem: string };

export async function* readRequestLog(lines: AsyncIterable<string>): AsyncGenerator<ReadResult> {
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { lineNumber, problem: 'not JSON' };
      continue;
    }
    const checked = requestLineShape.safeParse(value);
    if (checked.success) yield { lineNumber, line: checked.data as unknown as RequestLine, text };
    else {
      const issue = checked.error.issues[0];
      yield { lineNumber, problem: `not a request line (${issue?.path.join('.') || 'line'}: ${issue?.message})` };
    }
  }
}

/**
 * Who `--user` means. Sign-in lines name the account by e-mail (`resource: {type: 'account', id}`) and, when
 * the sign-in succeeded, carry the person who signed in as principal: that pairs e-mails with user ids.
 */
export interface Identity {
  userIds: Set<string>;
  emails: Set<string>;
}

const isEmail = (value: string): boolean => value.includes('@');

export async function resolveIdentity(user: string, lines: AsyncIterable<ReadResult>): Promise<Identity> {
  const wanted = isEmail(user) ? user.toLowerCase() : user;
  const identity: Identity = { userIds: new Set(), emails: new Set() };
  if (isEmail(wanted)) identity.emails.add(wanted);
  else identity.userIds.add(wanted);
  for await (const read of lines) {
    if (!('line' in read)) continue;
    const { principal, resource } = read.line;
    if (!principal || resource?.type !== 'account' || !resource.id) continue;
    const email = resource.id.toLowerCase();
    if (email === wanted) identity.userIds.add(principal.userId);
    if (principal.userId === wanted) identity.emails.add(email);
  }
  return identity;
}

export function matcher(query: AuditQuery, identity?: Identity): (line: RequestLine) => boolean {
  const routes = query.routes?.map(glob);
  const actions = query.actions?.map(glob);
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  return (line) => {
    const time = Date.parse(line.timestamp);
    if (since !== undefined && !(time >= since)) return false;
    if (until !== undefined && !(time < until)) return false;
    if (query.outcomes && !query.outcomes.includes(line.outcome)) return false;
    if (query.statuses && !query.statuses.includes(line.status)) return false;
    if (routes && !routes.some((route) => route.test(line.route))) return false;
    if (actions && !actions.some((action) => action.test(line.action))) return false;
    if (query.ticket !== undefined && !(line.resource?.type === 'ticket' && line.resource.id === query.ticket)) {
      return false;
    }
    if (identity && !concerns(line, identity)) return false;
    return true;
  };
}

function concerns(line: RequestLine, identity: Identity): boolean {
  const { principal, resource } = line;
  if (principal && identity.userIds.has(principal.userId)) return true;
  if (!resource?.id) return false;
  if (resource.type === 'account') return identity.emails.has(resource.id.toLowerCase());
  return resource.type === 'user' && identity.userIds.has(resource.id);
}

/** `*` matches anything; everything else literally, the HTTP method case-insensitively. */
function glob(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

const columns = [
  { title: 'TIME', width: 24, value: (l: RequestLine) => l.timestamp },
  { title: 'ROUTE', width: 36, value: (l: RequestLine) => l.route },
  { title: 'STATUS', width: 6, value: (l: RequestLine) => String(l.status) },
  { title: 'OUTCOME', width: 7, value: (l: RequestLine) => l.outcome },
  {
    title: 'WHO',
    width: 42,
    value: (l: RequestLine) => (l.principal ? `${l.principal.role} ${l.principal.userId}` : '(not signed in)'),
  },
  {
    title: 'RESOURCE',
    width: 42,
    value: (l: RequestLine) => (l.resource ? [l.resource.type, l.resource.id].filter(Boolean).join(' ') : ''),
  },
  { title: 'ERROR', width: 22, value: (l: RequestLine) => l.errorCode ?? '' },
  { title: 'SOURCE IP', width: 0, value: (l: RequestLine) => l.sourceIp ?? '' },
];

const cell = (text: string, width: number): string =>
  width === 0 ? text : text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/** Fixed widths, so rows can be printed as they are found, however many there are. */
export const tableHeader = (): string => columns.map((c) => cell(c.title, c.width)).join('  ');
export const tableRow = (line: RequestLine): string => columns.map((c) => cell(c.value(line), c.width)).join('  ');

export interface AuditSummary {
  read: number;
  matched: number;
  malformed: number;
}

export interface AuditSink {
  /** May return a promise to slow the reading down (a terminal or a pipe that is full). */
  /** `text` is the line exactly as logged. */
  match(line: RequestLine, text: string): void | Promise<void>;
  malformed(lineNumber: number, problem: string): void;
}

/**
 * Answers a query over the request log. `open` is called once per pass: twice when `--user` is given
 * (the first pass pairs e-mails with user ids), so the log is streamed, never held in memory.
 */
export async function runAudit(
  open: () => AsyncIterable<string>,
  query: AuditQuery,
  sink: AuditSink,
): Promise<AuditSummary> {
  const identity = query.user === undefined ? undefined : await resolveIdentity(query.user, readRequestLog(open()));
  const matches = matcher(query, identity);
  const summary: AuditSummary = { read: 0, matched: 0, malformed: 0 };
  for await (const read of readRequestLog(open())) {
    if ('problem' in read) {
      summary.malformed += 1;
      sink.malformed(read.lineNumber, read.problem);
      continue;
    }
    summary.read += 1;
    if (matches(read.line)) {
      summary.matched += 1;
      await sink.match(read.line, read.text);
    }
  }
  return summary;
}
