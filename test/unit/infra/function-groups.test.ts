// The API's functions as infra/routes.ts groups them: every route in exactly one, each with the least access
// that covers its routes.
import { describe, expect, it } from 'vitest';
import { entrySource, groupedFunctions, unionOf } from '../../../infra/function-groups.js';
import { type HttpRoute, httpRoutes, routeKey, wsRoutes } from '../../../infra/routes.js';
import { connectAuthorizerKey } from '../../../shared/router.js';

describe('grouped functions', () => {
  const functions = groupedFunctions();

  it('serve every route once: HTTP routes in the function their row names, WebSocket routes and the authorizer in realtime', () => {
    const served = functions.flatMap((fn) => fn.routes.map((route) => `${fn.group} ${route.key}`));
    expect(served.sort()).toEqual(
      [
        ...(httpRoutes as readonly HttpRoute[]).map((route) => `${route.function} ${routeKey(route)}`),
        ...wsRoutes.map((route) => `realtime ${route.routeKey}`),
        `realtime ${connectAuthorizerKey}`,
      ].sort(),
    );
  });

  it('give the portal the memory password hashing needs, and the others the default', () => {
    expect(Object.fromEntries(functions.map((fn) => [fn.group, fn.memory]))).toEqual({
      portal: 1024,
      admin: 256,
      realtime: 256,
    });
  });

  it('have an entry module that imports each route’s handler and routes its key to it', () => {
    const portal = functions.find((fn) => fn.group === 'portal');
    if (!portal) throw new Error('no portal function');
    const source = entrySource(portal, (file) => `/root/${file}`);
    expect(source).toContain('import { router } from "/root/shared/router.ts";');
    for (const [i, route] of portal.routes.entries()) {
      expect(source).toContain(`import { handler as h${i} } from "/root/${route.handler}";`);
      expect(source).toContain(`  ${JSON.stringify(route.key)}: h${i},`);
    }
  });
});

describe('the access of a function serving several routes', () => {
  it('writes anywhere when one route does, else only the partitions its routes write', () => {
    expect(unionOf([{ table: 'read' }, { table: { write: ['limit'] } }, { table: 'write' }]).table).toBe('write');
    expect(
      unionOf([{ table: 'read' }, { table: { write: ['limit'] } }, { table: { write: ['limit', 'outbox'] } }]),
    ).toEqual({
      table: { write: ['limit', 'outbox'] },
    });
    expect(unionOf([{ table: 'read' }, {}])).toEqual({ table: 'read' });
    expect(unionOf([{}])).toEqual({});
  });

  it('holds every kind of file access, mail, connections and secret one of its routes needs, and nothing more', () => {
    expect(
      unionOf([
        { bucket: 'attach', secrets: ['jwt'] },
        { bucket: 'read', connections: true },
        { bucket: 'attach', mail: true, secrets: ['jwt', 'platform'] },
      ]),
    ).toEqual({ bucket: ['attach', 'read'], mail: true, connections: true, secrets: ['jwt', 'platform'] });
  });
});
