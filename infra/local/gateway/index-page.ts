// The page at `/` until the web app is built: what runs where.
import type { GatewayRoutes } from './routes.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function indexPage(routes: GatewayRoutes, urls: { http: string; ws: string; mail?: string }): string {
  const http = routes.httpRoutes
    .map(
      (r) => `<tr><td>${r.method}</td><td><code>${escapeHtml(r.path)}</code></td><td>${r.auth ? 'yes' : ''}</td></tr>`,
    )
    .join('');
  const ws = routes.wsRoutes.map((r) => `<li><code>${escapeHtml(r.routeKey)}</code></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Atende (local)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}td{padding:.1rem .8rem .1rem 0}</style>
</head><body>
<h1>Atende is running locally</h1>
<p>The web app is not built yet (<code>web/dist</code>); this page lists what the local stack serves.</p>
<ul>
<li>HTTP API: <a href="${urls.http}/health">${urls.http}</a></li>
<li>WebSocket API: <code>${urls.ws}</code></li>
${urls.mail ? `<li>Mail viewer (every e-mail sent): <a href="${urls.mail}">${urls.mail}</a></li>` : ''}
</ul>
<h2>HTTP routes</h2>
<table><thead><tr><th>method</th><th>path</th><th>sign-in</th></tr></thead><tbody>${http}</tbody></table>
<h2>WebSocket routes</h2>
<ul>${ws || '<li>none yet</li>'}</ul>
</body></html>
`;
}
