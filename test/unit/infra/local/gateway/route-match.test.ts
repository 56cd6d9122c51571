import { describe, expect, it } from 'vitest';
import { matchHttpRoute } from '../../../../../infra/local/gateway/route-match.js';

const routes = [
  { method: 'GET', path: '/tickets' },
  { method: 'GET', path: '/tickets/{id}' },
  { method: 'GET', path: '/tickets/queue' },
  { method: 'ANY', path: '/tickets/{id}/events' },
  { method: 'GET', path: '/tickets/{id}/events' },
  { method: 'GET', path: '/files/{key+}' },
  { method: 'POST', path: '/tickets' },
];

describe('HTTP API route selection', () => {
  it('matches a literal path and its method only', () => {
    expect(matchHttpRoute(routes, 'POST', '/tickets')?.route).toBe(routes[6]);
    expect(matchHttpRoute(routes, 'DELETE', '/tickets')).toBeUndefined();
  });

  it('prefers a literal segment over a path variable', () => {
    expect(matchHttpRoute(routes, 'GET', '/tickets/queue')?.route.path).toBe('/tickets/queue');
    expect(matchHttpRoute(routes, 'GET', '/tickets/01J')).toEqual({ route: routes[1], pathParameters: { id: '01J' } });
  });

  it('prefers the method over ANY', () => {
    expect(matchHttpRoute(routes, 'GET', '/tickets/1/events')?.route).toBe(routes[4]);
    expect(matchHttpRoute(routes, 'PATCH', '/tickets/1/events')?.route).toBe(routes[3]);
  });

  it('decodes path parameters and lets a greedy variable take the rest of the path', () => {
    expect(matchHttpRoute(routes, 'GET', '/tickets/a%2Fb')?.pathParameters).toEqual({ id: 'a/b' });
    expect(matchHttpRoute(routes, 'GET', '/files/x/y/z.pdf')?.pathParameters).toEqual({ key: 'x/y/z.pdf' });
    expect(matchHttpRoute(routes, 'GET', '/files/')).toBeUndefined();
  });

  it('does not match a trailing slash, an empty segment or a longer path', () => {
    expect(matchHttpRoute(routes, 'GET', '/tickets/')).toBeUndefined();
    expect(matchHttpRoute(routes, 'GET', '/tickets/1/events/2')).toBeUndefined();
  });

  it('falls back to $default when nothing else matches', () => {
    const withDefault = [...routes, { method: 'ANY', path: '$default' }];
    expect(matchHttpRoute(withDefault, 'GET', '/nowhere')?.route.path).toBe('$default');
    expect(matchHttpRoute(withDefault, 'GET', '/tickets')?.route.path).toBe('/tickets');
  });
});
