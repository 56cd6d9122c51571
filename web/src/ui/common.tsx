import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { ApiError } from '../api/http.js';
import type { Priority, Status, Topic } from '../api/types.js';
import { type MessageKey, t, tOr, useLang } from '../i18n/index.js';

/** A page: sets the document title and gives focus to its heading when it is reached by navigation. */
export function Page(props: {
  title: string;
  children?: ComponentChildren;
  actions?: ComponentChildren;
  wide?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Atende`;
  }, [props.title]);
  useEffect(() => {
    // Screen readers announce the new page; keyboard users continue from its top.
    if (pageFocus.navigated && !document.activeElement?.closest('[data-keep-focus]')) heading.current?.focus();
  }, []);
  return (
    <div class={props.wide ? 'page page-wide' : 'page'}>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </div>
      {props.children}
    </div>
  );
}

/** Set once the user has moved between pages: the first page leaves focus where the browser put it. */
export const pageFocus = { navigated: false };

export function fieldIds(id: string, error?: string, hint?: string) {
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
  };
}

export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>
        {props.label}
        {props.required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Alert(props: { kind?: 'error' | 'info' | 'success'; children: ComponentChildren; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.focus) ref.current?.focus();
  }, [props.focus]);
  const kind = props.kind ?? 'error';
  return (
    <div ref={ref} class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} tabIndex={-1}>
      {props.children}
    </div>
  );
}

/** A person-readable sentence for an API failure. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited') return t('error.rate_limited', { seconds: error.retryAfterSeconds ?? 60 });
    return tOr(`error.${error.code}`, t('error.unexpected'));
  }
  if (error instanceof Error && 'code' in error) return tOr(`error.${String(error.code)}`, t('error.unexpected'));
  return t('error.unexpected');
}

/** Maps the contract's `details` to text per field, for errors shown next to the field. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return {};
  const out: Record<string, string> = {};
  for (const [field, issue] of Object.entries(error.fieldErrors())) out[field] = issueText(issue);
  return out;
}

export function issueText(issue: string): string {
  const lower = issue.toLowerCase();
  if (lower.includes('required')) return t('issue.required');
  if (lower.includes('cnpj')) return t('issue.cnpj');
  if (lower.includes('email') || lower.includes('e-mail')) return t('issue.email');
  if (lower.includes('too_big') || lower.includes('at most') || lower.includes('too long')) return t('issue.too_long');
  if (lower.includes('too_small') || lower.includes('at least')) return t('issue.too_short');
  return issue;
}

export function StatusBadge(props: { status: Status }) {
  useLang();
  return <span class={`badge badge-${props.status}`}>{tOr(`status.${props.status}`, props.status)}</span>;
}

export const priorityLabel = (priority: Priority | string): string => tOr(`priority.${priority}`, priority);
export const statusLabel = (status: Status | string): string => tOr(`status.${status}`, status);

let topicsRequest: Promise<Topic[]> | undefined;

/** The topics, fetched once per page load. */
export function useTopics(): Topic[] {
  const [topics, setTopics] = useState<Topic[]>([]);
  useEffect(() => {
    topicsRequest ??= api.get<{ items: Topic[] }>('/topics').then(
      (r) => r.items,
      (error) => {
        topicsRequest = undefined;
        throw error;
      },
    );
    topicsRequest.then(setTopics, () => setTopics([]));
  }, []);
  return topics;
}

export function topicLabel(topics: Topic[], id: string, lang: string): string {
  const topic = topics.find((x) => x.id === id);
  if (!topic) return id;
  return lang === 'en' ? topic.label.en : topic.label['pt-BR'];
}

export function Spinner(props: { label?: MessageKey }) {
  return (
    <p class="loading" role="status">
      {t(props.label ?? 'common.loading')}
    </p>
  );
}

export function Button(
  props: ButtonHTMLAttributes<HTMLButtonElement> & {
    kind?: 'primary' | 'secondary' | 'danger' | 'link';
    busy?: boolean;
  },
) {
  const { kind, busy, class: className, disabled, children, ...rest } = props;
  return (
    <button
      type="button"
      {...rest}
      class={`btn btn-${kind ?? 'secondary'}${className ? ` ${className}` : ''}`}
      disabled={Boolean(disabled) || busy}
      aria-busy={busy ? 'true' : undefined}
    >
      {children}
    </button>
  );
}
