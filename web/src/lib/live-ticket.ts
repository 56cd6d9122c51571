// A ticket followed live: the ticket page and the chat widget both show one.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Page as PageOf, Ticket, TicketEvent } from '../api/types.js';
import { realtime } from '../realtime.js';
import { mergeEvents } from './timeline.js';

const maxEventPages = 40;

async function loadEvents(ticketId: string): Promise<TicketEvent[]> {
  let events: TicketEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxEventPages; page++) {
    const answer = await api.get<PageOf<TicketEvent>>(`/tickets/${ticketId}/events`, { cursor, limit: 100 });
    events = mergeEvents(events, answer.items);
    cursor = answer.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return events;
}

/** A ticket and its timeline as some answer had them (`chat.started` carries both). */
export interface TicketSnapshot {
  ticket: Ticket;
  events: TicketEvent[];
}

/**
 * A ticket and its timeline, loaded once (or taken from `initial`) and then followed live from the last
 * event loaded.
 */
export function useLiveTicket(ticketId: string, initial?: TicketSnapshot) {
  const snapshot = initial?.ticket.id === ticketId ? initial : undefined;
  const [ticket, setTicket] = useState<Ticket | null>(snapshot?.ticket ?? null);
  const [events, setEvents] = useState<TicketEvent[]>(() => mergeEvents([], snapshot?.events ?? []));
  const [error, setError] = useState<unknown>(null);

  const reloadTicket = () =>
    api.get<{ ticket: Ticket }>(`/tickets/${ticketId}`).then(
      (r) => setTicket(r.ticket),
      (e) => setError(e),
    );

  useEffect(() => {
    let current = true;
    let stopFollowing: (() => void) | undefined;
    setTicket(snapshot?.ticket ?? null);
    setEvents(mergeEvents([], snapshot?.events ?? []));
    setError(null);
    const stopListening = realtime.on((frame) => {
      if (!current) return;
      if (frame.type === 'event' && frame.ticketId === ticketId) {
        setEvents((list) => mergeEvents(list, [frame.event]));
        // Status, assignment and the version change with most events; the push may not carry the ticket.
        if (frame.event.type !== 'message') void reloadTicket();
        else setTicket((t) => (t ? { ...t, lastMessageAt: frame.event.createdAt } : t));
      }
      if (frame.type === 'ticket.updated' && frame.ticket.id === ticketId) setTicket(frame.ticket);
    });
    const loading: Promise<TicketSnapshot> = snapshot
      ? Promise.resolve(snapshot)
      : Promise.all([api.get<{ ticket: Ticket }>(`/tickets/${ticketId}`), loadEvents(ticketId)]).then(
          ([answer, loaded]) => ({ ticket: answer.ticket, events: loaded }),
        );
    loading
      .then((loaded) => {
        if (!current) return;
        const timeline = mergeEvents([], loaded.events);
        setTicket(loaded.ticket);
        setEvents((list) => mergeEvents(list, timeline));
        stopFollowing = realtime.subscribe(ticketId, timeline.at(-1)?.id);
      })
      .catch((e) => current && setError(e));
    return () => {
      current = false;
      stopListening();
      stopFollowing?.();
    };
  }, [ticketId]);

  return {
    ticket,
    events,
    error,
    setTicket,
    reloadTicket,
    addEvent: (e: TicketEvent) => setEvents((l) => mergeEvents(l, [e])),
  };
}
