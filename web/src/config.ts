// Where the API and the WebSocket API are. Deployed, the stack writes /config.json next to the app;
// the local gateway serves one too. Without it (a static server during development) the API is assumed
// on the page's origin and the WebSocket API on the local stack's default port.

export interface WebConfig {
  apiUrl: string;
  wsUrl: string;
  /** Host origins whose pages may frame the chat (`/embed`) and talk to it (context `embedOrigins`). */
  embedOrigins: string[];
}

const defaultWsPort = 3001;

export function fallbackConfig(loc: Pick<Location, 'origin' | 'protocol' | 'hostname'> = location): WebConfig {
  return {
    apiUrl: loc.origin,
    wsUrl: `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.hostname}:${defaultWsPort}`,
    embedOrigins: [],
  };
}

let current: WebConfig = fallbackConfig();

export const config = (): WebConfig => current;

export async function loadConfig(): Promise<WebConfig> {
  const fallback = fallbackConfig();
  try {
    const response = await fetch('/config.json', { cache: 'no-store', credentials: 'omit' });
    if (response.ok) {
      const body = (await response.json()) as Partial<WebConfig>;
      current = {
        apiUrl: (typeof body.apiUrl === 'string' && body.apiUrl ? body.apiUrl : fallback.apiUrl).replace(/\/+$/, ''),
        wsUrl: typeof body.wsUrl === 'string' && body.wsUrl ? body.wsUrl : fallback.wsUrl,
        embedOrigins: Array.isArray(body.embedOrigins)
          ? body.embedOrigins.filter((origin): origin is string => typeof origin === 'string')
          : [],
      };
      return current;
    }
  } catch {
    // No config.json (or not JSON): the fallback below is the local default.
  }
  current = fallback;
  return current;
}
