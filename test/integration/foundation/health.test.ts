import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';

describe('GET /health through the local gateway', () => {
  it('answers ok once the API and its table are reachable', async () => {
    const res = await api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String) });
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.headers['apigw-requestid']).toBeTruthy();
  });
});
