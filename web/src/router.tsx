// Client-side routes on the history API. The local gateway and CloudFront answer every unknown path
// with index.html, so a link to /tickets/01J… opens the right page directly.
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { createStore, useStore } from './lib/store.js';

export interface Location {
  path: string;
  query: URLSearchParams;
}

const here = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });

export const locationStore = createStore<Location>(here());

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  locationStore.set(here());
}

window.addEventListener('popstate', () => locationStore.set(here()));

export const useLocation = (): Location => useStore(locationStore);

/** `/tickets/:id` against `/tickets/01J…` → `{ id: '01J…' }`, or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = have[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return params;
}

/** The current path with its query, for `?next=` after signing in again. */
export const currentTarget = (): string => location.pathname + location.search;

/** A same-app link: navigates without reloading unless the user asked for a new tab. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren }) {
  const { href, onClick, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (typeof onClick === 'function') onClick.call(event.currentTarget, event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}

/** Query string from a record, skipping empty values. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
