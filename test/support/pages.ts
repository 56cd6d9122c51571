// Paged lists of the API (`{ items, nextCursor }`: tickets, timelines, groups, members), read page by page
// the way a client does: each next request carries the cursor the previous page returned.
import { expect } from 'vitest';
import { api, type Json } from './http.js';

export interface Page {
  items: Json[];
  nextCursor: string | null;
}

/** Every page of `path` with `query`, following nextCursor to the end; fails the test on anything but 200. */
export async function* pages(path: string, token: string, query: Record<string, string> = {}): AsyncGenerator<Page> {
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const res = await api.get<Page>(`${path}?${params}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    yield res.body;
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
}

/** Every item of `path`, all pages (100 items a page unless `query` says otherwise). */
export async function readAll(path: string, token: string, query: Record<string, string> = {}): Promise<Json[]> {
  const items: Json[] = [];
  for await (const page of pages(path, token, { limit: '100', ...query })) items.push(...page.items);
  return items;
}

/** Every ticket `person` lists with `query`, `limit` a page, following nextCursor to the end. */
export const listAll = (person: { token: string }, query: Record<string, string> = {}, limit = 100): Promise<Json[]> =>
  readAll('/tickets', person.token, { ...query, limit: String(limit) });

/** The whole stored timeline of a ticket, as `person` reads it over HTTP. */
export const timeline = (person: { token: string }, ticketId: string): Promise<Json[]> =>
  readAll(`/tickets/${ticketId}/events`, person.token);

/** The ids of `items`, for comparing lists. */
export const ids = (items: Json[]): string[] => items.map((item) => item.id);
