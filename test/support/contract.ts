// Holds what the local stack really answers to the committed API reference: every HTTP answer a test
// receives from a documented route (test/support/http.ts) and every WebSocket frame (test/support/ws.ts).
// A status the route does not document, or a body that is not the documented shape for its status, fails
// the test that received it, naming the route, the status and what differs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: { 'application/json': { schema: Json }; 'text/csv'?: unknown } }>;
}

/** The reference's schemas under one id each, so that `$ref`s inside them resolve. */
function validatorFor(document: Json, id: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  // OpenAPI's own words at the root; nothing to validate there.
  for (const keyword of ['openapi', 'info', 'paths', 'components', 'x-roles']) ajv.addKeyword(keyword);
  ajv.addSchema({ ...document, $id: id });
  const compiled = new Map<string, ValidateFunction>();
  return (schema: Json): ValidateFunction => {
    const text = JSON.stringify(schema).replaceAll('"#/', `"${id}#/`);
    let validate = compiled.get(text);
    if (!validate) {
      validate = ajv.compile(JSON.parse(text));
      compiled.set(text, validate);
    }
    return validate;
  };
}

const openApi = read('docs/openapi.json');
const openApiSchema = validatorFor(openApi, 'urn:atende:openapi');
const operations = Object.entries(openApi.paths as Record<string, Record<string, Operation>>).map(
  ([path, methods]) => ({
    path,
    // Literal segments win over parameters (`/invites/lookup` over `/invites/{inviteId}`).
    params: (path.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods,
  }),
);
operations.sort((a, b) => a.params - b.params);

const describe = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );

const excerpt = (body: unknown) => {
  const text = JSON.stringify(body) ?? String(body);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
};

/**
 * Throws when an HTTP answer breaks docs/openapi.json: an undocumented status, or a body that is not the
 * schema of its status. Paths the API does not document (the web app's files, preflights) are not checked,
 * except that a 404 is the contract's error body wherever it comes from.
 */
export function checkHttpAnswer(
  method: string,
  url: string,
  status: number,
  headers: Record<string, string>,
  body: unknown,
) {
  const path = new URL(url, 'http://x').pathname;
  const found = operations.find((o) => o.pattern.test(path) && o.methods[method.toLowerCase()]);
  const where = `${method} ${path}`;
  if (!found) {
    if (status === 404 && method !== 'OPTIONS')
      expectShape(openApiSchema({ $ref: '#/components/schemas/Error' }), body, `${where} → 404`);
    return;
  }
  const label = `${method} ${found.path} → ${status}`;
  const answer = found.methods[method.toLowerCase()]?.responses[String(status)];
  if (!answer) {
    const listed = Object.keys(found.methods[method.toLowerCase()]?.responses ?? {}).join(', ');
    throw new Error(
      `${label}: docs/openapi.json does not list status ${status} for this route (it lists ${listed}). Body: ${excerpt(body)}`,
    );
  }
  if (!headers['x-request-id']) throw new Error(`${label}: the answer has no x-request-id`);
  if (/^text\/csv\b/.test(headers['content-type'] ?? '')) {
    if (!answer.content?.['text/csv']) throw new Error(`${label}: docs/openapi.json documents no CSV answer here`);
    return;
  }
  const schema = answer.content?.['application/json'].schema;
  if (!schema) {
    if (body !== undefined)
      throw new Error(`${label}: docs/openapi.json documents no body, but one came: ${excerpt(body)}`);
    return;
  }
  expectShape(openApiSchema(schema), body, label);
}

function expectShape(validate: ValidateFunction, body: unknown, label: string) {
  if (validate(body)) return;
  throw new Error(
    `${label}: the answer is not what the API reference documents (docs/openapi.json, docs/realtime.schema.json):\n  ${describe(validate.errors).join('\n  ')}\nBody: ${excerpt(body)}`,
  );
}

const realtime = read('docs/realtime.schema.json');
const realtimeSchema = validatorFor(realtime, 'urn:atende:realtime');
const defs = realtime.$defs as Record<string, Json>;
/** Server frames by their `type`. */
const serverFrames = new Map(
  (defs.ServerFrame as { oneOf: { $ref: string }[] }).oneOf.map(({ $ref }) => {
    const name = $ref.split('/').pop() as string;
    const { properties } = defs[name] as { properties: { type: { const: string } } };
    return [properties.type.const, realtimeSchema({ $ref: `#/$defs/${name}` })];
  }),
);

/** Why a frame the server sent breaks docs/realtime.schema.json, or undefined when it is a documented frame. */
export function serverFrameViolation(frame: unknown): string | undefined {
  const type = typeof frame === 'object' && frame !== null ? (frame as { type?: unknown }).type : undefined;
  const validate = typeof type === 'string' ? serverFrames.get(type) : undefined;
  if (!validate)
    return `a frame of type ${JSON.stringify(type)} is not in docs/realtime.schema.json: ${excerpt(frame)}`;
  if (validate(frame)) return undefined;
  return `a "${type}" frame is not what docs/realtime.schema.json documents:\n  ${describe(validate.errors).join('\n  ')}\nFrame: ${excerpt(frame)}`;
}
