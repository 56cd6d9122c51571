// The manager's view (admins and auditors): a period, its totals, created and resolved per day, first-response
// and resolution p50/p90 per topic, SLA attainment and satisfaction, from GET /reports/summary. Every chart is
// an SVG drawn here with its numbers as a table beside it (the table is what screen readers and tests read).
import { useEffect, useState } from 'preact/hooks';
import type { RatingComment, Summary, SummaryRow } from '../../../shared/domain/reports.js';
import { api } from '../api/client.js';
import { apiUrl } from '../api/http.js';
import { formatDateTime, t, useLang } from '../i18n/index.js';
import { Link } from '../router.js';
import { accessToken } from '../session.js';
import { Alert, Button, errorText, Page, Spinner, topicLabel, useTopics } from '../ui/common.js';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const daysAgo = (n: number) => isoDay(new Date(Date.now() - n * 86_400_000));

interface Series {
  name: string;
  values: (number | null)[];
}

/** Grouped bars: one group per category, one bar per series; null draws nothing. */
function BarChart(props: {
  id: string;
  title: string;
  /** What the categories are (the table's first column). */
  category: string;
  categories: string[];
  series: Series[];
  unit?: string;
}) {
  const lang = useLang();
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const cell = (v: number | null) => (v === null ? t('reports.noData') : `${number.format(v)}${props.unit ?? ''}`);
  const max = Math.max(1, ...props.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const width = 640;
  const height = 200;
  const group = width / Math.max(1, props.categories.length);
  const bar = Math.max(1, (group * 0.8) / Math.max(1, props.series.length));
  return (
    <figure class="chart card" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>
        <h2>{props.title}</h2>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 4}`} role="img" aria-labelledby={`${props.id}-title`} class="chart-svg">
        <title>{props.title}</title>
        {props.categories.map((category, i) =>
          props.series.map((series, j) => {
            const value = series.values[i] ?? null;
            if (value === null) return null;
            const h = (value / max) * height;
            return (
              <rect
                key={`${category}-${series.name}`}
                class={`chart-bar chart-series-${j}`}
                x={i * group + group * 0.1 + j * bar}
                y={height - h}
                width={bar}
                height={h}
              >
                <title>{`${category} · ${series.name}: ${cell(value)}`}</title>
              </rect>
            );
          }),
        )}
        <line x1="0" y1={height} x2={width} y2={height} class="chart-axis" />
      </svg>
      <ul class="chart-legend">
        {props.series.map((series, j) => (
          <li key={series.name}>
            <span class={`chart-key chart-series-${j}`} aria-hidden="true" /> {series.name}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('reports.table')}</summary>
        <table id={`${props.id}-table`}>
          <caption class="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.category}</th>
              {props.series.map((series) => (
                <th key={series.name} scope="col">
                  {series.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.categories.map((category, i) => (
              <tr key={category}>
                <th scope="row">{category}</th>
                {props.series.map((series) => (
                  <td key={series.name}>{cell(series.values[i] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const sum = (rows: SummaryRow[], pick: (r: SummaryRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
const percent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

async function downloadCsv(from: string, to: string): Promise<void> {
  const token = await accessToken();
  const response = await fetch(apiUrl('/reports/summary', { from, to, by: 'day' }), {
    headers: { accept: 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `atende-${from}-${to}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

export function ReportsPage() {
  const lang = useLang();
  const topics = useTopics();
  const [period, setPeriod] = useState({ from: daysAgo(29), to: daysAgo(0) });
  const [draft, setDraft] = useState(period);
  const [data, setData] = useState<{ byDay: Summary; byTopic: Summary; comments: RatingComment[] } | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    setData(null);
    setError('');
    Promise.all([
      api.get<Summary>('/reports/summary', { ...period, by: 'day' }),
      api.get<Summary>('/reports/summary', { ...period, by: 'topic' }),
      api.get<{ items: RatingComment[] }>('/reports/comments', period),
    ]).then(
      ([byDay, byTopic, comments]) => setData({ byDay, byTopic, comments: comments.items }),
      (e) => setError(errorText(e)),
    );
  }, [period.from, period.to]);

  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const days = data?.byDay.rows ?? [];
  const byTopic = data?.byTopic.rows ?? [];
  const responses = sum(days, (r) => r.satisfaction.responses);
  const average = responses
    ? sum(days, (r) => (r.satisfaction.average ?? 0) * r.satisfaction.responses) / responses
    : null;
  const topicNames = byTopic.map((r) => topicLabel(topics, r.key ?? '', lang));

  return (
    <Page title={t('reports.title')} wide>
      <form
        class="report-period"
        aria-label={t('reports.period')}
        onSubmit={(event) => {
          event.preventDefault();
          setPeriod(draft);
        }}
      >
        <label>
          {t('reports.from')}{' '}
          <input
            type="date"
            value={draft.from}
            required
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </label>{' '}
        <label>
          {t('reports.to')}{' '}
          <input
            type="date"
            value={draft.to}
            required
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </label>{' '}
        <Button type="submit" kind="primary">
          {t('reports.show')}
        </Button>{' '}
        <Button onClick={() => downloadCsv(period.from, period.to).catch((e) => setError(errorText(e)))}>
          {t('reports.csv')}
        </Button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
      {!data && !error ? <Spinner /> : null}
      {data ? (
        <>
          <section class="card report-totals" aria-labelledby="report-totals">
            <h2 id="report-totals">{t('reports.totals')}</h2>
            <dl>
              <dt>{t('reports.created')}</dt>
              <dd>{number.format(sum(days, (r) => r.created))}</dd>
              <dt>{t('reports.resolved')}</dt>
              <dd>{number.format(sum(days, (r) => r.resolved))}</dd>
              <dt>{t('reports.satisfaction')}</dt>
              <dd>
                {average === null ? t('reports.noData') : `${number.format(average)} / 5`} ({t('reports.responses')}:{' '}
                {number.format(responses)})
              </dd>
            </dl>
          </section>
          <BarChart
            id="chart-per-day"
            title={t('reports.perDay')}
            category={t('reports.day')}
            categories={days.map((r) => r.key ?? '')}
            series={[
              { name: t('reports.created'), values: days.map((r) => r.created) },
              { name: t('reports.resolved'), values: days.map((r) => r.resolved) },
            ]}
          />
          <BarChart
            id="chart-per-topic"
            title={t('reports.perTopic')}
            category={t('reports.topic')}
            categories={topicNames}
            series={[
              { name: t('reports.frP50'), values: byTopic.map((r) => r.firstResponse.p50Minutes) },
              { name: t('reports.frP90'), values: byTopic.map((r) => r.firstResponse.p90Minutes) },
              { name: t('reports.rsP50'), values: byTopic.map((r) => r.resolution.p50Minutes) },
              { name: t('reports.rsP90'), values: byTopic.map((r) => r.resolution.p90Minutes) },
            ]}
          />
          <BarChart
            id="chart-sla"
            title={t('reports.sla')}
            category={t('reports.topic')}
            categories={topicNames}
            unit="%"
            series={[
              { name: t('reports.slaFirstResponse'), values: byTopic.map((r) => percent(r.slaMet.firstResponse)) },
              { name: t('reports.slaResolution'), values: byTopic.map((r) => percent(r.slaMet.resolution)) },
            ]}
          />
          <BarChart
            id="chart-satisfaction"
            title={t('reports.satisfaction')}
            category={t('reports.topic')}
            categories={topicNames}
            series={[
              { name: t('reports.average'), values: byTopic.map((r) => r.satisfaction.average) },
              { name: t('reports.responses'), values: byTopic.map((r) => r.satisfaction.responses) },
            ]}
          />
          <section class="card" aria-labelledby="report-comments">
            <h2 id="report-comments">{t('reports.comments')}</h2>
            {data.comments.length === 0 ? (
              <p class="muted">{t('reports.noComments')}</p>
            ) : (
              <ul class="plain report-comments">
                {data.comments.map((c) => (
                  <li key={`${c.ticketId}-${c.createdAt}`}>
                    <Link href={`/tickets/${c.ticketId}`}>#{c.ticketNumber}</Link> ·{' '}
                    {t('rate.scoreOf', { score: c.score })} · {formatDateTime(c.createdAt)}
                    <blockquote>{c.comment}</blockquote>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <p class="hint">{t('reports.precision')}</p>
        </>
      ) : null}
    </Page>
  );
}
