// What becomes of the gateway's output: like CloudWatch Logs capturing a function's output, every
// request log line (`kind: "request"`, see shared/observability/logger.ts) is appended to
// `$ATENDE_DATA_DIR/logs/requests.jsonl`, where `npm run audit` reads it; people get a one-liner. Every
// other line goes to `logs/functions.jsonl` (stack.ts).

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
