// HTTP API route selection: the most specific route wins. A literal segment beats a `{param}`, which
// beats a greedy `{param+}`; a route for the method beats `ANY`; `$default` catches the rest.

export interface RouteSpec {
  method: string;
  /** API Gateway path syntax (`/tickets/{id}`, `/files/{key+}`), or `$default`. */
  path: string;
}

export interface RouteMatch<R> {
  route: R;
  pathParameters?: Record<string, string>;
}

const literal = 3;
const parameter = 2;
const greedy = 1;

export function matchHttpRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  rawPath: string,
): RouteMatch<R> | undefined {
  const segments = rawPath.split('/').slice(1);
  let best: { match: RouteMatch<R>; score: number[] } | undefined;
  for (const route of routes) {
    if (route.path === '$default' || (route.method !== method && route.method !== 'ANY')) continue;
    const matched = matchPath(route.path, segments);
    if (!matched) continue;
    const score = [...matched.score, route.method === 'ANY' ? 0 : 1];
    if (!best || compare(score, best.score) > 0) best = { match: { route, pathParameters: matched.params }, score };
  }
  if (best) return best.match;
  const fallback = routes.find((r) => r.path === '$default');
  return fallback ? { route: fallback } : undefined;
}

function matchPath(template: string, segments: string[]) {
  const parts = template.split('/').slice(1);
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const variable = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(part);
    if (variable?.[2] === '+') {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[variable[1] as string] = decode(rest.join('/'));
      score.push(greedy);
      return { params, score };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (variable) {
      if (segment === '') return undefined;
      params[variable[1] as string] = decode(segment);
      score.push(parameter);
    } else if (part === segment) {
      score.push(literal);
    } else {
      return undefined;
    }
  }
  if (segments.length !== parts.length) return undefined;
  return { params: Object.keys(params).length ? params : undefined, score };
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
