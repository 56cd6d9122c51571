// One-time tokens (invitation, password reset, rating) arrive in the link's fragment (`/accept-invite#token=…`,
// `/rate#token=…&score=N`), which browsers never send to a server, so no CDN, proxy or access log records them
// (docs/api.md, "Access groups and invitations"). The app reads the fragment once, when it starts, and removes
// it from the address bar at once, so neither the history nor a shared screen keeps the token.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.has('token')) history.replaceState(history.state, '', location.pathname + location.search);

/** The token the page was opened with, or '' when there was none. */
export const linkToken = (): string => fragment.get('token') ?? '';

/** Another value the link carried beside its token (the rating link's `score`), or '' when there was none. */
export const linkValue = (name: string): string => fragment.get(name) ?? '';
