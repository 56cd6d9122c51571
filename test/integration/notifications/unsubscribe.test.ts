// POST /notifications/unsubscribe as the public API documents it, signed in or not. (Genuine tokens, from
// real e-mails, and their effect: replies.test.ts.)
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { world } from '../../support/world.js';

describe('POST /notifications/unsubscribe', () => {
  it('answers 204 with no body to a made-up token, signed in or not', async () => {
    const customer = await world.customer();
    for (const token of [undefined, customer.token]) {
      const res = await api.post('/notifications/unsubscribe', { token, body: { token: 'bm9ib2R5.c2lnbmF0dXJl' } });
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
    }
  });

  it('takes the one-click form a mail client sends, the token in the query', async () => {
    const res = await api.post('/notifications/unsubscribe?token=bm9ib2R5.c2lnbmF0dXJl', {
      rawBody: 'List-Unsubscribe=One-Click',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(204);
  });

  it('refuses a request without a token, or with other fields, with 400', async () => {
    for (const body of [{}, { token: '' }, { token: 'x', extra: 1 }]) {
      const res = await api.post('/notifications/unsubscribe', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const form = await api.post('/notifications/unsubscribe', {
      rawBody: 'List-Unsubscribe=One-Click',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(400);
  });

  it('refuses a body that is neither JSON nor a form with 415', async () => {
    const res = await api.post('/notifications/unsubscribe', { rawBody: 'token=x', contentType: 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});
