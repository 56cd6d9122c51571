// How the chat for other origins is served (docs/api.md, "The chat inside the host platform"), in ONE place: the local
// gateway (infra/local/gateway/http.ts) and CloudFront (infra/constructs/web.ts) send the same headers. Its
// security headers are the app's (infra/web-security.ts), with the host origins as `frameAncestors` for `/embed`.
//
// `/embed.js` keeps one URL that integrators paste once; a short cache lets every host pick up a fix within
// minutes (Intercom and Zendesk serve their snippets the same way). What it loads is versioned by content: the
// frame page `/embed` is revalidated on every load and names content-hashed bundles, cached for good.

export const embedScript = { path: '/embed.js', cacheControl: 'public, max-age=300' } as const;
export const embedPage = { path: '/embed', file: 'embed.html', cacheControl: 'no-cache' } as const;
