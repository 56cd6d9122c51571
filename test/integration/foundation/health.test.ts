import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { api, request } from '../../support/http.js';
import { waitForLine } from '../../support/request-log.js';

describe('GET /health through the local gateway', () => {
  it('answers ok once the API and its table are reachable', async () => {
    const res = await api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String) });
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.headers['apigw-requestid']).toBeTruthy();
  });
});

describe('a path no route serves', () => {
  it.each([
    ['GET', '/nothing/here'],
    ['DELETE', '/tickets'],
    ['POST', '/health'],
  ])('%s %s gets the contract 404 from the $default route function, and an audit line', async (method, path) => {
    const requestId = `probe-404-${ulid()}`;
    const res = await request(method, path, { headers: { 'x-request-id': requestId } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) }, requestId });
    const line = await waitForLine(requestId, (record) => record.clientRequestId === requestId);
    expect(line).toMatchObject({ route: '$default', action: 'route.unknown', status: 404, outcome: 'denied' });
  });
});
