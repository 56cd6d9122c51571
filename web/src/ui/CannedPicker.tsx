// The "/" picker of the reply box: typing "/" at the start of a reply lists the canned replies whose title
// begins with the words after it (GET /canned-replies, filtered by the ticket's topic); arrows move, Enter or a
// click inserts the reply with its placeholders filled (web/src/lib/placeholders.ts), Escape closes it.
// Titles and bodies are rendered as text, so markup in a reply is shown, never run.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { CannedReply } from '../api/types.js';
import { t } from '../i18n/index.js';

/** The words after a leading "/", while the reply is nothing but that; otherwise the picker is closed. */
export const pickerQuery = (body: string): string | undefined =>
  /^\/[^\n]*$/.test(body) ? body.slice(1).trim() : undefined;

export interface CannedPicking {
  open: boolean;
  /** Handles the textarea's keys while open; true when it used the key. */
  onKey: (event: KeyboardEvent) => boolean;
  list: preact.JSX.Element | null;
  /** For the textarea: the list it controls and the option arrows have reached, while open. */
  aria: { 'aria-controls'?: string; 'aria-activedescendant'?: string };
}

export function useCannedPicker(props: {
  id: string;
  body: string;
  topic: string;
  enabled: boolean;
  onPick: (reply: CannedReply) => void;
}): CannedPicking {
  const query = props.enabled ? pickerQuery(props.body) : undefined;
  const [replies, setReplies] = useState<CannedReply[]>([]);
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState(false);

  useEffect(() => {
    setClosed(false);
    setActive(0);
    if (query === undefined) return;
    let current = true;
    api.get<{ items: CannedReply[] }>('/canned-replies', { topic: props.topic, ...(query ? { q: query } : {}) }).then(
      (answer) => current && setReplies(answer.items),
      () => current && setReplies([]),
    );
    return () => {
      current = false;
    };
  }, [query, props.topic]);

  const open = query !== undefined && !closed;
  const pick = (reply: CannedReply | undefined) => {
    if (reply) props.onPick(reply);
  };
  const listId = `${props.id}-canned`;
  const current = replies[active];
  return {
    open,
    aria: open && current ? { 'aria-controls': listId, 'aria-activedescendant': `${listId}-${current.id}` } : {},
    onKey(event) {
      if (!open) return false;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (replies.length === 0 ? 0 : (i + step + replies.length) % replies.length));
      } else if (event.key === 'Enter' && replies.length > 0) pick(replies[active]);
      else if (event.key === 'Escape') setClosed(true);
      else return false;
      event.preventDefault();
      return true;
    },
    list: open ? (
      <div>
        {replies.length === 0 ? (
          <p class="muted small">{t('canned.none')}</p>
        ) : (
          <div id={listId} class="canned-picker" role="listbox" aria-label={t('canned.title')}>
            {replies.map((reply, i) => (
              <div
                key={reply.id}
                id={`${listId}-${reply.id}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(reply);
                }}
              >
                <strong>{reply.title}</strong>
                <div class="muted small">{reply.body.slice(0, 120)}</div>
              </div>
            ))}
          </div>
        )}
      </div>
    ) : null,
  };
}
