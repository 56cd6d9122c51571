// One-time tokens (invitation, password reset) arrive in the link's fragment (`/accept-invite#token=…`),
// which browsers never send to a server, so no CDN, proxy or access log records them (api.md, "Access
// groups and invitations"). The app reads the token once, when it starts, and removes it from the address
// bar at once, so neither the history nor a shared screen keeps it.
const fragment = new URLSearchParams(location.hash.slice(1));
const token = fragment.get('token') ?? '';
if (fragment.has('token')) history.replaceState(history.state, '', location.pathname + location.search);

/** The token the page was opened with, or '' when there was none. */
export const linkToken = (): string => token;
