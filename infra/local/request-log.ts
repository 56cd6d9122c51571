// What becomes of the gateway's output: like CloudWatch Logs capturing a function's output, every
// request log line (`kind: "request"`, see shared/observability/logger.ts) is appended to
// `$ATENDE_DATA_DIR/logs/requests.jsonl`, where `npm run audit` reads it; people get a one-liner. Every
// other line goes to `logs/functions.jsonl` (stack.ts). The gateway prints, for each request it refuses
// by itself before any function runs, the line API Gateway's access log would hold, marked
// `kind: "access"`; it goes to `logs/access.jsonl` without the mark.

export interface RequestRecord {
  kind: 'request';
  timestamp?: string;
  route?: string;
  status?: number;
  latencyMs?: number;
  action?: string;
  outcome?: string;
  errorCode?: string;
  principal?: { userId?: string; role?: string };
  requestId?: string;
  sourceIp?: string;
}

/** The record when the line is a request log line, else undefined. */
export function requestRecord(line: string): RequestRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { kind?: unknown };
    return parsed && parsed.kind === 'request' ? (parsed as RequestRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** `14:03:07 POST /tickets 201 35ms ticket.create customer 01J…` */
export function oneLiner(record: RequestRecord): string {
  const time = (record.timestamp ?? new Date().toISOString()).slice(11, 19);
  const who = record.principal?.role ? `${record.principal.role} ${record.principal.userId ?? ''}`.trim() : 'anonymous';
  const error = record.errorCode ? ` ${record.errorCode}` : '';
  return `${time} ${record.route ?? '?'} ${record.status ?? '?'}${error} ${record.latencyMs ?? '?'}ms ${record.action ?? ''} ${who}`;
}

/** A line the gateway printed that is not a request record and still deserves a person's attention. */
export function isProblem(line: string): boolean {
  if (!line.startsWith('{')) return line.trim() !== '';
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return level === 'ERROR' || level === 'WARN' || level === 'CRITICAL';
  } catch {
    return true;
  }
}

/** A line for the function log: JSON lines as printed, any other text (a stack trace's lines) wrapped as JSON. */
export function asJsonLine(line: string, stream: 'stdout' | 'stderr', now = new Date()): string {
  if (line.startsWith('{')) {
    try {
      JSON.parse(line);
      return line;
    } catch {
      // Not JSON after all: wrapped below.
    }
  }
  return JSON.stringify({ timestamp: now.toISOString(), stream, text: line });
}

/** An access-log line: the fields of the stage's access-log format (infra/constructs/api.ts), `-` when empty. */
export type AccessLine = Record<string, string>;

/** API Gateway's `$context.requestTime`: `01/Mar/2025:09:03:00 +0000`. */
export function requestTime(date: Date): string {
  const month = date.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  const [day, time] = [String(date.getUTCDate()).padStart(2, '0'), date.toISOString().slice(11, 19)];
  return `${day}/${month}/${date.getUTCFullYear()}:${time} +0000`;
}

/** How the gateway hands an access line to the local stack: on stdout, marked. */
export function printAccessLine(line: AccessLine): void {
  process.stdout.write(`${JSON.stringify({ kind: 'access', ...line })}\n`);
}

/** The access line, without its mark, when the printed line is one. */
export function accessRecord(line: string): AccessLine | undefined {
  if (!line.startsWith('{"kind":"access"')) return undefined;
  try {
    const { kind: _kind, ...fields } = JSON.parse(line) as AccessLine;
    return fields;
  } catch {
    return undefined;
  }
}

/** `14:03:07 ws $connect 401 Unauthorized (refused by the gateway)` */
export function accessOneLiner(line: AccessLine): string {
  const time = /:(\d\d:\d\d:\d\d) /.exec(line.requestTime ?? '')?.[1] ?? '?';
  const route = line.eventType ? `ws ${line.routeKey}` : `${line.method} ${line.path}`;
  return `${time} ${route} ${line.status} ${line.error} (refused by the gateway)`;
}
