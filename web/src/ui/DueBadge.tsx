// The SLA countdown of a ticket (web/src/lib/sla.ts): green, amber under a quarter of the time left, red once
// missed. Redrawn every half minute so it counts down without a reload.
import { useEffect, useState } from 'preact/hooks';
import type { Ticket } from '../api/types.js';
import { formatDateTime, t, useLang } from '../i18n/index.js';
import { dueBadge, shortDuration } from '../lib/sla.js';

export function DueBadge(props: { ticket: Pick<Ticket, 'createdAt' | 'sla' | 'status'> }) {
  useLang();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const due = dueBadge(props.ticket, now);
  if (!due) return null;
  const target = t(due.target === 'first_response' ? 'sla.first_response' : 'sla.resolution');
  const time = shortDuration(due.leftMs);
  return (
    <span
      class={`badge badge-due-${due.state}`}
      data-due-state={due.state}
      title={`${t('sla.due')}: ${formatDateTime(due.dueAt)}`}
    >
      {due.state !== 'breached'
        ? t('sla.due_in', { target, time })
        : due.leftMs <= 0
          ? t('sla.overdue', { target, time })
          : // Missed, and then its due time moved on (the clock stood still a while after the breach).
            t('sla.missed', { target })}
    </span>
  );
}
