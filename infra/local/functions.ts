// The local gateway runs the API's routes in the same functions as the stack (infra/function-groups.ts): each
// function's entry module, the router over its routes, is written under .atende/functions/ and its routes point
// there, so the first request to any of them is that function's one cold start, as deployed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { entrySource, groupedFunctions } from '../function-groups.js';
import {
  type FunctionGroup,
  type HttpRoute,
  httpCors,
  httpRoutes,
  realtimeFunction,
  scheduledJobs,
  wsAuthorizer,
  wsRoutes,
} from '../routes.js';
import type { GatewayRoutes } from './gateway/routes.js';

/** The entry module of a function, relative to the project root (the gateway invokes it by this path). */
export const entryFileOf = (group: FunctionGroup): string => `.atende/functions/${group}.ts`;

/** The route table as the gateway runs it: every route's handler is its function's entry module. */
export function groupedRoutes(root: string): GatewayRoutes {
  const functions = groupedFunctions();
  for (const fn of functions)
    writeIfChanged(
      join(root, entryFileOf(fn.group)),
      entrySource(fn, (file) => join(root, file)),
    );
  const memoryOf = (group: FunctionGroup) => functions.find((fn) => fn.group === group)?.memory;
  return {
    httpRoutes: (httpRoutes as readonly HttpRoute[]).map((route) => ({
      method: route.method,
      path: route.path,
      auth: route.auth,
      handler: entryFileOf(route.function),
      memory: memoryOf(route.function),
    })),
    httpCors,
    wsRoutes: wsRoutes.map((route) => ({ routeKey: route.routeKey, handler: entryFileOf(realtimeFunction) })),
    wsAuthorizer: { ...wsAuthorizer, handler: entryFileOf(realtimeFunction) },
    scheduledJobs,
  };
}

/** Several gateways may start at once (tests, the bench): each writes whole files, and only when they changed. */
function writeIfChanged(file: string, source: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === source) return;
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, source);
  renameSync(temporary, file);
}
