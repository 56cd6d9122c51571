// pt-BR first, English selectable. The choice is kept per browser; <html lang> follows it.
import type { Locale } from '../api/types.js';
import { createStore, useStore } from '../lib/store.js';
import { en } from './en.js';
import { ptBR } from './pt-BR.js';

export type Lang = Locale;
export type MessageKey = keyof typeof ptBR;
export const languages: { id: Lang; label: string }[] = [
  { id: 'pt-BR', label: 'Português (Brasil)' },
  { id: 'en', label: 'English' },
];

const storageKey = 'atende.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'pt-BR': ptBR, en };

function initialLang(): Lang {
  const saved = localStorage.getItem(storageKey);
  return saved === 'en' || saved === 'pt-BR' ? saved : 'pt-BR';
}

export const langStore = createStore<Lang>(initialLang());
document.documentElement.lang = langStore.get();

export function setLang(lang: Lang): void {
  localStorage.setItem(storageKey, lang);
  document.documentElement.lang = lang;
  langStore.set(lang);
}

export const useLang = (): Lang => useStore(langStore);

/** The text for `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[langStore.get()][key] ?? ptBR[key];
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : text;
}

/** A text that has no fixed key, e.g. `status.${status}`; falls back to the raw value. */
export function tOr(key: string, fallback: string): string {
  return key in ptBR ? t(key as MessageKey) : fallback;
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(langStore.get(), { dateStyle: 'short', timeStyle: 'short' }).format(date);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(langStore.get(), { timeStyle: 'short' }).format(date);
}

/** "há 5 minutos" / "5 minutes ago", falling back to the date after a week. */
export function formatRelative(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  const format = new Intl.RelativeTimeFormat(langStore.get(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(0, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return format.format(Math.round(seconds / 86_400), 'day');
  return formatDateTime(iso);
}

export function formatSize(bytes: number): string {
  const format = (n: number, unit: string) =>
    `${new Intl.NumberFormat(langStore.get(), { maximumFractionDigits: 1 }).format(n)} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'KB');
  return format(bytes / (1024 * 1024), 'MB');
}
