// The security headers of the web app, in one place: CloudFront sends them through a response-headers
// policy (infra/constructs/web.ts) and the local gateway sends the same on every file of the app
// (infra/local/gateway/http.ts), so the browser tests run the app under the policy it is deployed with.
//
// The Content-Security-Policy allows no inline script, no eval and no inline style; the app may talk only
// to its own origin, the two APIs and the evidence bucket (`connect`). Framing is refused (`frame-ancestors
// 'none'` and X-Frame-Options DENY); the embeddable chat (`/embed`) has a policy of its own that names the
// host origins allowed to frame it (`frameAncestors`), built from the same function.

export interface AppPolicy {
  /** Origins (or URLs) the app's fetches and WebSockets reach besides its own: the APIs and the bucket. */
  connect: readonly string[];
  /** Who may frame the page; default: nobody. */
  frameAncestors?: readonly string[];
}

/** HSTS for two years, subdomains included (CloudFront's values for the same header in web.ts). */
export const hstsSeconds = 2 * 365 * 24 * 60 * 60;

export function contentSecurityPolicy(policy: AppPolicy): string {
  const ancestors = policy.frameAncestors?.length ? policy.frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // Previews of files picked or pasted before upload are blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${policy.connect.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** Headers besides the CSP that CloudFront's response-headers policy sends as custom headers. */
export const otherHeaders = {
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** Every security header of a page of the app, by lower-case name, as the browser receives them. */
export function securityHeaders(policy: AppPolicy): Record<string, string> {
  const framed = Boolean(policy.frameAncestors?.length);
  return {
    'content-security-policy': contentSecurityPolicy(policy),
    'strict-transport-security': `max-age=${hstsSeconds}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Only where nobody may frame the page: X-Frame-Options cannot name origins.
    ...(framed ? {} : { 'x-frame-options': 'DENY' }),
    ...otherHeaders,
  };
}
