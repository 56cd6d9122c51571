// The API's Lambda functions, from the route table: which routes each serves (infra/routes.ts, functionGroups),
// the access and memory it needs, and the source of its entry module, a router (shared/router.ts) over its
// routes' handler files. The stack bundles that source (infra/constructs/bundles.ts) and the local gateway runs
// it (infra/local/functions.ts), so both group routes the same way.
import { connectAuthorizerKey } from '../shared/router.js';
import {
  type Access,
  type BucketAccess,
  defaultMemoryMb,
  type FunctionGroup,
  functionGroups,
  type HttpRoute,
  httpRoutes,
  realtimeFunction,
  routeKey,
  type WsRoute,
  wsAuthorizer,
  wsRoutes,
} from './routes.js';

export interface GroupedFunction {
  group: FunctionGroup;
  /** Construct id in the stack: `PortalFunction`. */
  id: string;
  /** Route key → handler file, relative to the project root. */
  routes: ReadonlyArray<{ key: string; handler: string }>;
  access: Access;
  memory: number;
}

/** The functions that serve at least one route, in functionGroups' order. */
export function groupedFunctions(): GroupedFunction[] {
  const members = new Map<FunctionGroup, { key: string; handler: string; access: Access; memory?: number }[]>();
  const add = (group: FunctionGroup, entry: { key: string; handler: string; access: Access; memory?: number }) => {
    const list = members.get(group) ?? [];
    if (list.some((member) => member.key === entry.key)) {
      throw new Error(`infra/routes.ts: function ${group} has two routes ${entry.key}`);
    }
    list.push(entry);
    members.set(group, list);
  };
  for (const route of httpRoutes as readonly HttpRoute[]) add(route.function, { ...route, key: routeKey(route) });
  const ws = wsRoutes as readonly WsRoute[];
  if (ws.length > 0) {
    add(realtimeFunction, { key: connectAuthorizerKey, handler: wsAuthorizer.handler, access: wsAuthorizer.access });
    for (const route of ws) add(realtimeFunction, { ...route, key: route.routeKey });
  }
  return functionGroups.flatMap((group) => {
    const list = members.get(group);
    if (!list) return [];
    return [
      {
        group,
        id: `${group[0]?.toUpperCase()}${group.slice(1)}Function`,
        routes: list.map(({ key, handler }) => ({ key, handler })),
        access: unionOf(list.map((member) => member.access)),
        memory: Math.max(defaultMemoryMb, ...list.map((member) => member.memory ?? defaultMemoryMb)),
      },
    ];
  });
}

/** What the stack says of a function (its Lambda description, after `Atende `), which the bench reads back. */
export const functionDescription = (group: FunctionGroup): string => `${group} function`;

/** The least access that covers each of `accesses`. */
export function unionOf(accesses: readonly Access[]): Access {
  const tables = accesses.map((access) => access.table).filter((table) => table !== undefined);
  const table: Access['table'] = tables.includes('write')
    ? 'write'
    : tables.some((t) => typeof t === 'object')
      ? {
          write: [...new Set(tables.flatMap((t) => (typeof t === 'object' ? t.write : [])))] as Exclude<
            Access['table'],
            string | undefined
          >['write'],
        }
      : tables.length > 0
        ? 'read'
        : undefined;
  const buckets = [...new Set(accesses.flatMap((access) => bucketsOf(access)))];
  const secrets = [...new Set(accesses.flatMap((access) => access.secrets ?? []))];
  return {
    ...(table ? { table } : {}),
    ...(buckets.length ? { bucket: buckets } : {}),
    ...(accesses.some((access) => access.mail) ? { mail: true } : {}),
    ...(accesses.some((access) => access.connections) ? { connections: true } : {}),
    ...(secrets.length ? { secrets } : {}),
  };
}

/** The kinds of evidence-bucket access `access` holds. */
export function bucketsOf(access: Access): readonly BucketAccess[] {
  const { bucket } = access;
  return bucket === undefined ? [] : typeof bucket === 'string' ? [bucket] : bucket;
}

/**
 * The entry module of a function: imports its routes' handlers and exports the router over them.
 * @param importPath how the module refers to a file of the project (absolute for esbuild and tsx)
 */
export function entrySource(fn: GroupedFunction, importPath: (file: string) => string): string {
  const imports = fn.routes.map(
    (route, i) => `import { handler as h${i} } from ${JSON.stringify(importPath(route.handler))};`,
  );
  const table = fn.routes.map((route, i) => `  ${JSON.stringify(route.key)}: h${i},`);
  return [
    `// Generated from infra/routes.ts (infra/function-groups.ts): the ${fn.group} function's routes.`,
    `import { router } from ${JSON.stringify(importPath('shared/router.ts'))};`,
    ...imports,
    '',
    'export const handler = router({',
    ...table,
    '});',
    '',
  ].join('\n');
}
