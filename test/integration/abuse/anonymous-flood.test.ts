// Attack: a flood of anonymous requests from one address (each sign-in a Lambda hashing a password), meant
// to starve everyone else.
// Figure: with the default limit, one source address gets a burst of 300 anonymous requests, then one a
// second (300 per 5 minutes, enough for an office behind one NAT); beyond, 429 `rate_limited` with
// retry-after, before any function work; another address is still served, and GET /health is never limited.
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { useIsolatedGateway } from '../faults/isolated.js';
import { inParallel, requestFrom } from './support.js';

// A gateway of this file's own, at the default limit (the shared test stack raises it: every test signs in from 127.0.0.1).
const isolated = useIsolatedGateway({ env: { ATENDE_ANONYMOUS_LIMIT: '' } });

describe('anonymous routes per source address', () => {
  it('serves a burst of 300 anonymous requests from one address, then refuses with 429; other addresses go on', async () => {
    const flooder = '127.0.0.4';
    const base = isolated.urls.httpUrl;
    const paths = ['/auth/refresh', '/auth/logout', '/invites/accept'] as const;
    const bodies = {
      '/auth/refresh': { refreshToken: 'not-a-token' },
      '/auth/logout': { refreshToken: 'not-a-token' },
      '/invites/accept': { token: 'not-a-token', name: 'Eva', password: 'a long enough password' },
    };
    // The limit is a bucket of 300 that refills one request a second: flood until the first refusal.
    const startedAt = Date.now();
    let served = 0;
    let refused: Awaited<ReturnType<typeof requestFrom>> | undefined;
    let refusedAt = 0;
    await inParallel(8, 8, async () => {
      while (!refused && served < 2000) {
        const path = paths[served % paths.length] as (typeof paths)[number];
        const res = await requestFrom(flooder, 'POST', path, bodies[path], { base });
        if (res.status === 429) {
          refusedAt ||= Date.now();
          refused ??= res;
        } else served++;
      }
    });
    const refill = Math.ceil((Date.now() - startedAt) / 1000);
    expect(served).toBeGreaterThanOrEqual(300);
    expect(served).toBeLessThanOrEqual(300 + refill);
    expect(refused?.body.error.code).toBe('rate_limited');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // Another anonymous route draws on the same empty bucket: it gets at most what refilled since (one a second).
    let lookupsServed = 0;
    for (let attempt = 0; attempt < 50; attempt++) {
      const lookup = await requestFrom(flooder, 'GET', '/invites/lookup?token=not-a-token', undefined, { base });
      if (lookup.status === 429) break;
      lookupsServed++;
    }
    expect(lookupsServed).toBeLessThanOrEqual(Math.ceil((Date.now() - refusedAt) / 1000) + 1);

    // The monitors' route is not limited, and another address is served.
    expect((await requestFrom(flooder, 'GET', '/health', undefined, { base })).status).toBe(200);
    const neighbour = await requestFrom('127.0.0.5', 'POST', '/auth/refresh', bodies['/auth/refresh'], { base });
    expect(neighbour.status).toBe(401);

    // Each refusal is on the request log, with its address.
    const refusals = await eventually(() => {
      const lines = isolated.records.filter((r) => r.status === 429 && r.sourceIp === flooder);
      return lines.some((r) => r.route === 'GET /invites/lookup') && lines;
    }, 'the refusals on the request log');
    expect(new Set(refusals.map((r) => r.errorCode))).toEqual(new Set(['rate_limited']));
  }, 180_000);
});
