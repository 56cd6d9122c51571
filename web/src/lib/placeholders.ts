// The placeholders a canned reply may hold (docs/api.md): filled in by the console before the reply is sent.

export interface PlaceholderValues {
  requesterName: string;
  ticketNumber: number;
  agentName: string;
}

/** `body` with `{{requester.name}}`, `{{ticket.number}}` and `{{agent.name}}` filled in; others left as written. */
export function fillPlaceholders(body: string, values: PlaceholderValues): string {
  const known: Record<string, string> = {
    'requester.name': values.requesterName,
    'ticket.number': String(values.ticketNumber),
    'agent.name': values.agentName,
  };
  return body.replace(/\{\{\s*([a-z.]+)\s*\}\}/g, (whole, name: string) => known[name] ?? whole);
}
