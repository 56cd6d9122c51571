// "Meus chamados": the tickets the person can see, newest first, with filters that live in the URL
// (so back/forward and shared links keep them) and a search box that the API answers word by word,
// ignoring case and accents.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Page as PageOf, Ticket } from '../api/types.js';
import { formatDateTime, formatRelative, t, useLang } from '../i18n/index.js';
import { Link, navigate, useLocation, withQuery } from '../router.js';
import { useSession } from '../session.js';
import {
  Alert,
  Button,
  errorText,
  groupChoices,
  Page,
  Select,
  Spinner,
  StatusBadge,
  statusChoices,
  topicChoices,
  topicLabel,
  useTopics,
} from '../ui/common.js';

const pageSize = 25;

export function TicketListPage() {
  const lang = useLang();
  const session = useSession();
  const { query } = useLocation();
  const topics = useTopics();
  const filters = {
    status: query.get('status') ?? '',
    topic: query.get('topic') ?? '',
    q: query.get('q') ?? '',
    groupId: query.get('groupId') ?? '',
  };
  const [search, setSearch] = useState(filters.q);
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const key = JSON.stringify(filters);

  useEffect(() => setSearch(filters.q), [filters.q]);

  useEffect(() => {
    let current = true;
    setItems(null);
    setError('');
    api
      .get<PageOf<Ticket>>('/tickets', { ...filters, limit: pageSize })
      .then((page) => {
        if (!current) return;
        setItems(page.items);
        setCursor(page.nextCursor ?? null);
      })
      .catch((e) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [key]);

  const setFilter = (change: Partial<typeof filters>) =>
    navigate(withQuery('/tickets', { ...filters, ...change }), { replace: true });

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<PageOf<Ticket>>('/tickets', { ...filters, limit: pageSize, cursor });
      setItems((list) => [...(list ?? []), ...page.items]);
      setCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  }

  const groups = session?.user.groups ?? [];
  const canCreate = session?.user.role !== 'platform_user' && session?.user.role !== 'auditor';
  return (
    <Page
      title={t('tickets.title')}
      wide
      actions={
        canCreate ? (
          <Link class="btn btn-primary" href="/tickets/new">
            {t('tickets.new')}
          </Link>
        ) : null
      }
    >
      <search>
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            setFilter({ q: search.trim() });
          }}
        >
          <div class="field field-grow">
            <label for="ticket-search">{t('tickets.search')}</label>
            <div class="inline">
              <input
                id="ticket-search"
                type="search"
                value={search}
                placeholder={t('tickets.search_placeholder')}
                onInput={(e) => setSearch(e.currentTarget.value)}
              />
              <Button type="submit">{t('tickets.search_submit')}</Button>
            </div>
          </div>
          <div class="field">
            <label for="filter-status">{t('field.status')}</label>
            <Select
              id="filter-status"
              value={filters.status}
              empty={t('tickets.any_status')}
              choices={statusChoices()}
              onValue={(status) => setFilter({ status })}
            />
          </div>
          <div class="field">
            <label for="filter-topic">{t('field.topic')}</label>
            <Select
              id="filter-topic"
              value={filters.topic}
              empty={t('tickets.any_topic')}
              choices={topicChoices(topics, lang)}
              onValue={(topic) => setFilter({ topic })}
            />
          </div>
          {groups.length > 1 ? (
            <div class="field">
              <label for="filter-group">{t('field.group')}</label>
              <Select
                id="filter-group"
                value={filters.groupId}
                empty={t('tickets.any_group')}
                choices={groupChoices(groups)}
                onValue={(groupId) => setFilter({ groupId })}
              />
            </div>
          ) : null}
        </form>
      </search>

      {error ? <Alert>{error}</Alert> : null}
      {items === null && !error ? <Spinner /> : null}
      {items ? (
        <>
          <p class="muted" role="status">
            {items.length === 0
              ? filters.q || filters.status || filters.topic
                ? t('tickets.none_found')
                : t('tickets.empty')
              : t('tickets.count', { count: items.length })}
          </p>
          {items.length > 0 ? (
            <table class="tickets">
              <caption class="visually-hidden">{t('tickets.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tickets.col_number')}</th>
                  <th scope="col">{t('field.subject')}</th>
                  <th scope="col">{t('field.status')}</th>
                  <th scope="col">{t('field.topic')}</th>
                  <th scope="col">{t('tickets.col_activity')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((ticket) => {
                  const activity = ticket.lastMessageAt ?? ticket.updatedAt;
                  return (
                    <tr key={ticket.id}>
                      <td class="num">#{ticket.number}</td>
                      <td>
                        <Link href={`/tickets/${ticket.id}`}>{ticket.subject}</Link>
                        {ticket.channel === 'chat' ? <span class="tag">{t('tickets.chat')}</span> : null}
                      </td>
                      <td>
                        <StatusBadge status={ticket.status} />
                      </td>
                      <td>{topicLabel(topics, ticket.topic, lang)}</td>
                      <td>
                        <time dateTime={activity} title={formatDateTime(activity)}>
                          {formatRelative(activity)}
                        </time>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
          {cursor ? (
            <Button onClick={loadMore} busy={loadingMore}>
              {t('tickets.more')}
            </Button>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
