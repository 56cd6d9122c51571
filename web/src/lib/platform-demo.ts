/**
 * The local stack's default host-platform secret (infra/local/environment.ts, printed by `npm start`),
 * offered by the /platform-demo page when the app runs on this machine and config.json gives none.
 * A unit test keeps it equal to the local stack's; a deployment's secret is never in the app.
 */
export const localDefaultPlatformSecret = 'atende-local-platform-secret-change-me';

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function demoPlatformSecret(configured: string | undefined, hostname: string): string {
  return configured ?? (localHosts.has(hostname) ? localDefaultPlatformSecret : '');
}
