// Canned replies: admins keep them, agents find them by topic and by the words of their title (the console's
// "/" picker); bodies are stored as the plain text they are, markup included, never interpreted.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { api, type Json } from '../../support/http.js';
import { world } from '../../support/world.js';

const unique = () => ulid().toLowerCase().slice(-8);

describe('canned replies', () => {
  it('are created by admins, found by agents by topic and title words, changed and deleted', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    const word = `Boleto${unique()}`;
    const create = (body: Json) => api.post('/canned-replies', { token: admin.token, body });

    const boleto = await create({
      title: `${word} em atraso`,
      body: 'Olá, {{requester.name}}! O boleto do chamado #{{ticket.number}} foi reenviado. — {{agent.name}}',
      topic: 'billing',
    });
    expect(boleto.status, JSON.stringify(boleto.body)).toBe(201);
    expect(boleto.body.reply).toEqual({
      id: expect.any(String),
      title: `${word} em atraso`,
      body: 'Olá, {{requester.name}}! O boleto do chamado #{{ticket.number}} foi reenviado. — {{agent.name}}',
      topic: 'billing',
      locale: 'pt-BR',
      updatedAt: expect.any(String),
    });
    const general = (await create({ title: `Saudação ${word}`, body: 'Hello!', locale: 'en' })).body.reply;
    const other = (await create({ title: `${word} XML`, body: 'xml', topic: 'fiscal_document' })).body.reply;

    const find = async (query: Record<string, string>) => {
      const res = await api.get(`/canned-replies?${new URLSearchParams(query)}`, { token: agent.token });
      expect(res.status).toBe(200);
      return res.body.items.map((r: Json) => r.id);
    };
    // "boleto…" begins a word of three titles; the billing topic keeps its own and those for every topic.
    expect((await find({ q: word.toLowerCase() })).sort()).toEqual([boleto.body.reply.id, general.id, other.id].sort());
    expect((await find({ q: word, topic: 'billing' })).sort()).toEqual([boleto.body.reply.id, general.id].sort());
    expect(await find({ q: `${word} atra` })).toEqual([boleto.body.reply.id]);
    expect(await find({ q: `SAUDACAO ${word}` })).toEqual([general.id]);

    const changed = await api.patch(`/canned-replies/${other.id}`, {
      token: admin.token,
      body: { title: `${word} do XML`, topic: null },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.reply).toMatchObject({ title: `${word} do XML`, body: 'xml', locale: 'pt-BR' });
    expect(changed.body.reply.topic).toBeUndefined();
    expect(await find({ q: `${word} do`, topic: 'billing' })).toEqual([other.id]);

    expect((await api.delete(`/canned-replies/${other.id}`, { token: admin.token })).status).toBe(204);
    expect(await find({ q: `${word} do` })).toEqual([]);
    expect((await api.delete(`/canned-replies/${other.id}`, { token: admin.token })).status).toBe(404);
    expect((await api.patch(`/canned-replies/${other.id}`, { token: admin.token, body: { title: 'x' } })).status).toBe(
      404,
    );
  });

  it('keep markup as text: what is saved is what is read, to be shown escaped', async () => {
    const admin = await world.admin();
    const body = '<script>alert("x")</script><img src=x onerror=alert(1)> {{requester.name}}';
    const res = await api.post('/canned-replies', {
      token: admin.token,
      body: { title: `<b>XSS ${unique()}</b>`, body },
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const listed = await api.get(`/canned-replies?q=${encodeURIComponent(res.body.reply.title)}`, {
      token: admin.token,
    });
    expect(listed.body.items).toEqual([res.body.reply]);
    expect(listed.body.items[0].body).toBe(body);
  });

  it('are kept by admins only, read by agents and admins only; bad input is a 400 naming the field', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    const body = { title: 'Bom dia', body: 'Bom dia!' };
    expect((await api.post('/canned-replies', { token: agent.token, body })).status).toBe(403);
    expect((await api.get('/canned-replies', { token: (await world.auditor()).token })).status).toBe(403);
    expect((await api.get('/canned-replies', { token: (await world.customer()).token })).status).toBe(403);
    const reply = (await api.post('/canned-replies', { token: admin.token, body })).body.reply;
    expect((await api.patch(`/canned-replies/${reply.id}`, { token: agent.token, body: { title: 'x' } })).status).toBe(
      403,
    );
    expect((await api.delete(`/canned-replies/${reply.id}`, { token: agent.token })).status).toBe(403);

    for (const [field, bad] of [
      ['title', { title: '', body: 'x' }],
      ['body', { title: 'x', body: '   ' }],
      ['topic', { title: 'x', body: 'x', topic: 'astrology' }],
      ['locale', { title: 'x', body: 'x', locale: 'fr' }],
    ] as const) {
      const res = await api.post('/canned-replies', { token: admin.token, body: bad });
      expect(res.status, field).toBe(400);
      expect(res.body.error.details.map((d: Json) => d.path)).toEqual([field]);
    }
    expect((await api.patch(`/canned-replies/${reply.id}`, { token: admin.token, body: {} })).status).toBe(400);
  });
});
