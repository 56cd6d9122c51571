import { describe, expect, it } from 'vitest';
import { localEmbedOrigins } from '../../../infra/local/environment.js';
import { portsFromEnv } from '../../../infra/local/ports.js';
import { parseOrigins } from '../../../infra/origins.js';

describe('origins allowed to embed the chat', () => {
  it('reads a comma-separated list or an array, without duplicates', () => {
    expect(parseOrigins('https://a.example.com, http://localhost:3002,https://a.example.com', 'x')).toEqual([
      'https://a.example.com',
      'http://localhost:3002',
    ]);
    expect(parseOrigins(['https://b.example.com'], 'x')).toEqual(['https://b.example.com']);
    expect(parseOrigins(undefined, 'x')).toEqual([]);
  });

  it('refuses what a browser never sends as an origin, naming the setting', () => {
    for (const bad of ['https://a.example.com/', 'https://*.example.com/app', 'a.example.com', '*']) {
      expect(() => parseOrigins(bad, 'context embedOrigins')).toThrow(/context embedOrigins: .* is not an origin/);
    }
  });

  it('defaults locally to the demo host platform, and ATENDE_EMBED_ORIGINS replaces it', () => {
    const ports = portsFromEnv({});
    expect(localEmbedOrigins(ports, {})).toEqual(['http://localhost:3002']);
    expect(localEmbedOrigins(ports, { ATENDE_EMBED_ORIGINS: 'https://erp.example.com' })).toEqual([
      'https://erp.example.com',
    ]);
    // HOST_DEMO_PORT=0: no demo host, and no origin may frame the chat unless one is configured.
    expect(localEmbedOrigins(portsFromEnv({ HOST_DEMO_PORT: '0' }), {})).toEqual([]);
  });
});
