// zod schemas as JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), with what JSON Schema cannot say
// written out. zod's converter drops refinements, normalizations (trim, lower-case) and the checks a pipe
// makes after its first step; a reader of the reference would then believe the server accepts more than
// it does. Each such check is named in the schema's description instead, from the check's own message
// where it has one, and an unrepresentable type fails the generation rather than being guessed.
import type { Schema } from '../../shared/validation.js';
import * as z from '../../shared/zod.js';

export type JsonSchema = { [keyword: string]: unknown };

export function jsonSchemaOf(schema: Schema, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, options(io)) as JsonSchema;
  delete json.$schema;
  return json;
}

/**
 * Named schemas as JSON Schemas that refer to each other by `uri(name)` wherever one holds another, for
 * OpenAPI's `components.schemas` and a JSON Schema's `$defs`.
 */
export function namedJsonSchemas(
  named: Record<string, Schema>,
  io: 'input' | 'output',
  uri: (name: string) => string,
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...options(io), uri }) as { schemas: Record<string, JsonSchema> };
  // zod names each with `$id: uri(name)`, which is no URI to identify a schema by: the names are the keys.
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return Object.fromEntries(Object.keys(named).map((id) => [id, schemas[id] as JsonSchema]));
}

function options(io: 'input' | 'output') {
  return {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    override({ zodSchema, jsonSchema }) {
      const notes = serverChecks(zodSchema as z.core.$ZodType, io);
      if (notes.length === 0) return;
      // Written whole each time: a pipe's JSON copies its first step's, description included.
      const said = z.globalRegistry.get(zodSchema as z.core.$ZodType)?.description;
      jsonSchema.description = `${said ? `${said} ` : ''}The server also checks: ${notes.join('; ')}.`;
    },
  } satisfies z.core.ToJSONSchemaParams;
}

type Def = z.core.$ZodTypeDef & {
  checks?: z.core.$ZodCheck[];
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  format?: string;
  protocol?: RegExp;
};

/** What the server checks on this schema that its JSON Schema does not say. */
function serverChecks(schema: z.core.$ZodType, io: 'input' | 'output'): string[] {
  const def = schema._zod.def as Def;
  const notes: string[] = [];
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def as z.core.$ZodCheckDef & { tx?: (value: string) => string };
    if (checkDef.check === 'overwrite' && checkDef.tx) notes.push(normalization(checkDef.tx));
    if (checkDef.check === 'custom') {
      const message = messageOf(checkDef.error);
      notes.push(message ? `a rule whose 400 detail reads "${message}"` : 'a rule named in the 400 details');
    }
  }
  if (def.format === 'url' && def.protocol) notes.push(`a URL whose scheme matches ${def.protocol.source}`);
  // In input mode zod describes a pipe by its first step; what the later step checks is lost.
  if (io === 'input' && def.type === 'pipe' && def.in && def.out) {
    notes.unshift(...serverChecks(unwrapped(def.in), io));
    const out = def.out._zod.def as Def;
    if (out.type === 'transform') notes.push('a rule named in the 400 details (the value is normalized first)');
    else if (out.format) notes.push(`then it must be a valid ${out.format}`);
  }
  return notes;
}

/** The schema an optional or nullable wraps (their own JSON is their inner schema's). */
function unwrapped(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def as Def & { innerType?: z.core.$ZodType };
  return (def.type === 'optional' || def.type === 'nullable') && def.innerType ? unwrapped(def.innerType) : schema;
}

/** What an `overwrite` check does to a value, told by trying it. */
function normalization(tx: (value: string) => string): string {
  const probe = tx(' Ab ');
  if (probe === 'Ab') return 'trimmed first';
  if (probe === ' ab ') return 'lower-cased first';
  return 'normalized first';
}

function messageOf(error: unknown): string | undefined {
  if (typeof error !== 'function') return undefined;
  const said: unknown = error({});
  if (typeof said === 'string') return said;
  if (typeof said === 'object' && said !== null && typeof (said as { message?: unknown }).message === 'string') {
    return (said as { message: string }).message;
  }
  return undefined;
}
