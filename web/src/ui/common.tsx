import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { ApiError } from '../api/http.js';
import { priorities, statuses } from '../api/rules.js';
import type { GroupRef, Priority, Status, Topic } from '../api/types.js';
import { type Lang, type MessageKey, t, tOr, useLang } from '../i18n/index.js';

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

export function topicLabel(topics: Topic[], id: string, lang: Lang): string {
  return topics.find((x) => x.id === id)?.label[lang] ?? id;
}

/** One option of a Select. */
export interface Choice {
  value: string;
  label: string;
}

export const statusChoices = (): Choice[] => statuses.map((s) => ({ value: s, label: statusLabel(s) }));
export const priorityChoices = (): Choice[] => priorities.map((p) => ({ value: p, label: priorityLabel(p) }));
export const topicChoices = (topics: Topic[], lang: Lang): Choice[] =>
  topics.map((topic) => ({ value: topic.id, label: topic.label[lang] }));
export const groupChoices = (groups: readonly GroupRef[]): Choice[] =>
  groups.map((g) => ({ value: g.id, label: g.name }));

/** A select of `choices`, after a first `empty` choice (value '') when given; `onValue` gets what was chosen. */
export function Select(
  props: Partial<ReturnType<typeof fieldIds>> & {
    id: string;
    value: string;
    choices: readonly Choice[];
    empty?: string;
    onValue: (value: string) => void;
  },
) {
  const { choices, empty, onValue, ...rest } = props;
  return (
    <select {...rest} onChange={(event) => onValue(event.currentTarget.value)}>
      {empty === undefined ? null : <option value="">{empty}</option>}
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}

/** A list still loading (`null`), empty (`empty` says so), or shown by `children`. */
export function Loaded<T>(props: { items: T[] | null; empty: string; children: (items: T[]) => ComponentChildren }) {
  if (props.items === null) return <Spinner />;
  if (props.items.length === 0) return <p class="muted">{props.empty}</p>;
  return <>{props.children(props.items)}</>;
}

/**
 * Sending a form (or doing any action a button starts): `busy` while it runs; problems found before
 * sending, and the fields the API refused, shown next to their fields (`errors`) with the keyboard on the
 * first of them (`form` goes on the <form>); any failure as a sentence in `error` (`explain` may word it).
 */
export function useSubmit() {
  const form = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  // After the error texts are rendered.
  const focusInvalid = () =>
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  /** Runs `action` unless `problems` (field → text) were found first; says whether it succeeded. */
  async function submit(
    action: () => Promise<void>,
    options: { problems?: Record<string, string>; explain?: (error: unknown) => string | undefined } = {},
  ): Promise<boolean> {
    const problems = options.problems ?? {};
    setErrors(problems);
    setError('');
    if (Object.keys(problems).length > 0) {
      focusInvalid();
      return false;
    }
    setBusy(true);
    try {
      await action();
      return true;
    } catch (e) {
      const fields = fieldErrorsOf(e);
      setErrors(fields);
      setError(options.explain?.(e) ?? errorText(e));
      if (Object.keys(fields).length > 0) focusInvalid();
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { form, busy, error, errors, submit };
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

/**
 * Asks before an action that takes something away. A modal <dialog>: the keyboard lands on "Cancel" (the
 * safe choice), Escape cancels, the rest of the page is inert meanwhile, and the focus goes back to what
 * opened it. A failure is shown inside it; `onConfirm` closes it by unmounting it.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  /** Words a failure of `onConfirm` (see useSubmit). */
  explain?: (error: unknown) => string | undefined;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { busy, error, submit } = useSubmit();
  useEffect(() => {
    const element = dialog.current;
    // The dialog leaves by being unmounted, not by close(): the keyboard goes back to its opener by hand.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (element && !element.open) element.showModal();
    return () => {
      element?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="confirm card"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) props.onCancel();
      }}
    >
      <h2 id="confirm-title" class="h3">
        {props.title}
      </h2>
      <div id="confirm-text">{props.children}</div>
      {error ? <Alert focus>{error}</Alert> : null}
      <div class="form-actions">
        <Button kind="danger" busy={busy} onClick={() => void submit(props.onConfirm, { explain: props.explain })}>
          {props.confirmLabel}
        </Button>
        <Button autofocus disabled={busy} onClick={props.onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </dialog>
  );
}
