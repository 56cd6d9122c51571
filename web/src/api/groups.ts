import { api } from './client.js';
import type { Group, Page } from './types.js';

/** Enough pages for a select of every customer company; beyond that, choosing needs a search. */
const maxPages = 20;

/** Every access group the caller may see, following the API's cursors (sorted by name). */
export async function loadAllGroups(): Promise<Group[]> {
  const groups: Group[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await api.get<Page<Group>>('/groups', { limit: 100, cursor });
    groups.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return groups;
}
