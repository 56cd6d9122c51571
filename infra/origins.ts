// Browser origins given as settings (context `webOrigin`, `embedOrigins`; ATENDE_EMBED_ORIGINS locally): read and
// checked in one place, because a typo here is a page that silently cannot frame the chat or call the API.

const originPattern = /^https?:\/\/[^/\s?#]+$/;

export const isOrigin = (value: string): boolean => originPattern.test(value);

/**
 * A list of origins from a comma-separated string or an array (cdk.json may hold either). Throws naming `source`
 * and the bad entry; an origin keeps no trailing slash, path or wildcard, as browsers send it in `Origin`.
 */
export function parseOrigins(raw: unknown, source: string): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const origins = items.map((item) => item.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw new Error(`${source}: "${origin}" is not an origin such as https://platform.example.com (no path, no *)`);
    }
  }
  return [...new Set(origins)];
}
