// The agent console: the agent's presence switch (online or away, PUT /me/presence), the live queue of
// chats waiting for someone (GET /queue, then queue.updated pushes), the agent's own tickets, open tickets
// by SLA due time (GET /tickets?sort=due), each with its due-time badge, and the chosen ticket beside them.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Page as PageOf, Ticket, User } from '../api/types.js';
import { formatDateTime, formatRelative, t, useLang } from '../i18n/index.js';
import { useStore } from '../lib/store.js';
import { realtime } from '../realtime.js';
import { Link, navigate, useLocation, withQuery } from '../router.js';
import { useSession } from '../session.js';
import { Alert, errorText, Loaded, Page, StatusBadge, topicLabel, useTopics } from '../ui/common.js';
import { DueBadge } from '../ui/DueBadge.js';
import { TicketView } from './TicketView.js';

const waiting = (ticket: Ticket) =>
  ticket.channel === 'chat' && !ticket.assigneeId && ticket.status !== 'resolved' && ticket.status !== 'closed';

export function AgentPage() {
  const lang = useLang();
  const session = useSession();
  const topics = useTopics();
  const { query } = useLocation();
  const selected = query.get('ticket') ?? '';
  const [queue, setQueue] = useState<Ticket[] | null>(null);
  const [mine, setMine] = useState<Ticket[] | null>(null);
  const [byDue, setByDue] = useState<Ticket[] | null>(null);
  const [error, setError] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const meId = session?.user.id ?? '';

  const loadMine = () =>
    api.get<PageOf<Ticket>>('/tickets', { assigneeId: meId, limit: 50 }).then(
      (page) => setMine(page.items.filter((x) => x.status !== 'closed')),
      (e) => setError(errorText(e)),
    );

  const loadByDue = () =>
    api.get<PageOf<Ticket>>('/tickets', { sort: 'due', limit: 25 }).then(
      (page) => setByDue(page.items),
      (e) => setError(errorText(e)),
    );

  useEffect(() => {
    void loadByDue();
    api.get<{ items: Ticket[] }>('/queue').then(
      (answer) => setQueue(answer.items),
      (e) => setError(errorText(e)),
    );
    void loadMine();
    return realtime.on((frame) => {
      if (frame.type === 'queue.updated' || frame.type === 'ticket.updated') {
        const ticket = frame.ticket;
        setQueue((list) => {
          const rest = (list ?? []).filter((x) => x.id !== ticket.id);
          if (!waiting(ticket)) return rest;
          if (!list?.some((x) => x.id === ticket.id)) {
            setAnnouncement(t('agent.new_in_queue', { number: ticket.number, subject: ticket.subject }));
          }
          return [...rest, ticket].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
        });
        if (ticket.assigneeId === meId || mine?.some((x) => x.id === ticket.id)) void loadMine();
        // A change may move a ticket's due time, or stop or start its clock.
        setByDue((list) => list?.map((x) => (x.id === ticket.id ? ticket : x)) ?? list);
      }
    });
  }, [meId]);

  const select = (id: string) => navigate(withQuery('/agent', { ticket: id }));
  const topicOf = (ticket: Ticket) => topicLabel(topics, ticket.topic, lang);

  return (
    <Page title={t('agent.title')} wide>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {error ? <Alert>{error}</Alert> : null}
      <PresenceSwitch />
      <div class="console">
        <div class="console-lists">
          <section aria-labelledby="queue-title">
            <h2 id="queue-title">
              {t('agent.queue')} {queue ? <span class="count">({queue.length})</span> : null}
            </h2>
            <Loaded items={queue} empty={t('agent.queue_empty')}>
              {(tickets) => <TicketLinks tickets={tickets} selected={selected} onSelect={select} topicOf={topicOf} />}
            </Loaded>
          </section>
          <section aria-labelledby="mine-title">
            <h2 id="mine-title">{t('agent.mine')}</h2>
            <Loaded items={mine} empty={t('agent.mine_empty')}>
              {(tickets) => <TicketLinks tickets={tickets} selected={selected} onSelect={select} topicOf={topicOf} />}
            </Loaded>
            <p>
              <Link href="/tickets">{t('agent.all_tickets')}</Link>
            </p>
          </section>
          <section aria-labelledby="by-due-title">
            <h2 id="by-due-title">{t('agent.by_due')}</h2>
            <Loaded items={byDue} empty={t('agent.by_due_empty')}>
              {(tickets) => <TicketLinks tickets={tickets} selected={selected} onSelect={select} topicOf={topicOf} />}
            </Loaded>
          </section>
        </div>
        <section class="console-ticket" aria-label={t('agent.selected')}>
          {selected ? (
            <TicketView key={selected} ticketId={selected} headingLevel={2} />
          ) : (
            <p class="muted">{t('agent.pick')}</p>
          )}
        </section>
      </div>
    </Page>
  );
}

function TicketLinks(props: {
  tickets: Ticket[];
  selected: string;
  onSelect: (id: string) => void;
  topicOf: (t: Ticket) => string;
}) {
  return (
    <ul class="ticket-links">
      {props.tickets.map((ticket) => (
        <li key={ticket.id}>
          <a
            href={`/agent?ticket=${ticket.id}`}
            aria-current={ticket.id === props.selected ? 'true' : undefined}
            onClick={(event) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey) return;
              event.preventDefault();
              props.onSelect(ticket.id);
            }}
          >
            <span class="num">#{ticket.number}</span> {ticket.subject}
          </a>
          <div class="muted small">
            <StatusBadge status={ticket.status} /> <DueBadge ticket={ticket} /> {props.topicOf(ticket)} ·{' '}
            <time dateTime={ticket.createdAt} title={formatDateTime(ticket.createdAt)}>
              {formatRelative(ticket.lastMessageAt ?? ticket.createdAt)}
            </time>
          </div>
        </li>
      ))}
    </ul>
  );
}

const presenceChoices = ['online', 'away'] as const;

/**
 * Whether round-robin may give the agent new chats. What they chose is read once their connection is open
 * (without one the server says `offline`, hiding the choice); an agent who never chose is online.
 */
function PresenceSwitch() {
  const connection = useStore(realtime.state);
  const [presence, setPresence] = useState<User['presence']>(undefined);
  const [saved, setSaved] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (connection !== 'open') return;
    api.get<{ user: User }>('/me').then(
      ({ user }) => setPresence(user.presence),
      (e) => setError(errorText(e)),
    );
  }, [connection]);

  const choose = async (choice: (typeof presenceChoices)[number]) => {
    const before = presence;
    setPresence(choice);
    setError('');
    try {
      await api.put('/me/presence', { status: choice });
      setSaved(t(`presence.saved_${choice}`));
    } catch (e) {
      setPresence(before);
      setError(errorText(e));
    }
  };

  return (
    <fieldset class="presence">
      <legend>{t('presence.legend')}</legend>
      {presenceChoices.map((choice) => (
        <label key={choice}>
          <input
            type="radio"
            name="presence"
            value={choice}
            checked={presence === choice}
            disabled={connection !== 'open'}
            onChange={() => void choose(choice)}
          />{' '}
          {t(`presence.${choice}`)}
        </label>
      ))}
      {connection === 'open' ? null : <span class="muted">{t('presence.offline')}</span>}
      <span role="status" class="muted">
        {saved}
      </span>
      {error ? <Alert>{error}</Alert> : null}
    </fieldset>
  );
}
