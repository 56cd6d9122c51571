// The committed API reference (docs/openapi.json, docs/realtime.schema.json) is a valid OpenAPI 3.1
// document and a valid JSON Schema, covers every route and action of infra/routes.ts, and is exactly what
// `npm run docs` generates from the code today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { generateReference, referenceFiles } from '../../../../infra/reference/files.js';
import { httpRoutes, wsRoutes } from '../../../../infra/routes.js';
import { checkHttpAnswer, serverFrameViolation } from '../../../support/contract.js';

const root = join(import.meta.dirname, '../../../..');
const committed = (path: string) => readFileSync(join(root, path), 'utf8');
const openApi = JSON.parse(committed(referenceFiles.openApi));
const realtime = JSON.parse(committed(referenceFiles.realtime));

// Generating imports every handler module and compiles large schemas: seconds on a busy machine.
describe('the API reference', { timeout: 60_000 }, () => {
  it('is what `npm run docs` generates from the code (run `npm run docs` when this fails)', async () => {
    const generated = await generateReference(root);
    for (const [path, content] of Object.entries(generated)) {
      expect(committed(path) === content, `${path} is stale: run \`npm run docs\` and commit the result`).toBe(true);
    }
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApi);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(openApi.openapi).toMatch(/^3\.1\./);
  });

  it('documents every HTTP route of the route table, with its sign-in', () => {
    for (const route of httpRoutes) {
      if (route.path === '$default') continue;
      const operation = openApi.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path} is missing from docs/openapi.json`).toBeDefined();
      expect(operation.security, `${route.method} ${route.path}`).toEqual(route.auth ? [{ bearer: [] }] : []);
      if (route.auth) expect(Object.keys(operation.responses)).toContain('401');
    }
    const documented = Object.entries(openApi.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      httpRoutes
        .filter((r) => r.path !== '$default')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  it('gives every route an error answer in the contract’s shape and its roles', () => {
    const login = openApi.paths['/auth/login'].post;
    expect(login.responses['401'].content['application/json'].schema.allOf[1]).toEqual({
      type: 'object',
      properties: { error: { type: 'object', properties: { code: { enum: ['invalid_credentials'] } } } },
    });
    expect(openApi.paths['/groups'].post['x-roles']).toEqual(['admin']);
    expect(openApi.paths['/tickets/{id}'].patch.parameters.map((p: { name: string }) => p.name)).toEqual([
      'id',
      'if-match',
    ]);
  });

  it('has schemas that compile under JSON Schema 2020-12, with every action of the WebSocket API', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    ajv.compile(realtime);
    const ajvOpenApi = new Ajv2020({ strict: true });
    addFormats.default(ajvOpenApi);
    for (const [name, schema] of Object.entries(openApi.components.schemas)) {
      const text = JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/');
      expect(() => ajvOpenApi.compile({ ...JSON.parse(text), $defs: componentsAsDefs() }), name).not.toThrow();
    }
    const actions = realtime.$defs.ClientFrame.oneOf.map(
      ({ $ref }: { $ref: string }) => realtime.$defs[$ref.split('/').pop() as string].properties.action.const,
    );
    expect(actions.sort()).toEqual(
      wsRoutes
        .map((r) => r.routeKey)
        .filter((key) => !key.startsWith('$'))
        .sort(),
    );
  });
});

describe('the integration tests’ check of real answers against it (test/support/contract.ts)', () => {
  const error = { error: { code: 'conflict', message: 'stale' }, requestId: 'r1' };
  const headers = { 'x-request-id': 'r1' };

  it('refuses a status the route does not document, and a body of another shape', () => {
    expect(() => checkHttpAnswer('GET', '/tickets/01J?x=1', 409, headers, error)).toThrow(
      /GET \/tickets\/\{id\} → 409: docs\/openapi.json does not list status 409/,
    );
    expect(() => checkHttpAnswer('PATCH', '/tickets/01J', 409, headers, error)).not.toThrow();
    expect(() => checkHttpAnswer('GET', '/me', 200, headers, { user: { id: 'u1' } })).toThrow(
      /GET \/me → 200: the answer is not what the API reference documents[\s\S]*must have required property 'email'/,
    );
    expect(() => checkHttpAnswer('PATCH', '/tickets/01J', 409, headers, { ...error, extra: 1 })).toThrow(
      /must NOT have additional properties/,
    );
    expect(() => checkHttpAnswer('POST', '/auth/logout', 204, {}, undefined)).toThrow(/no x-request-id/);
  });

  it('refuses a frame of an undocumented type or shape', () => {
    expect(serverFrameViolation({ type: 'pong', requestId: 'r1' })).toBeUndefined();
    expect(serverFrameViolation({ type: 'pong' })).toMatch(/"pong" frame is not what/);
    expect(serverFrameViolation({ type: 'gossip' })).toMatch(/type "gossip" is not in docs\/realtime.schema.json/);
  });
});

function componentsAsDefs(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(openApi.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
}
