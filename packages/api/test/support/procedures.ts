import { z } from 'zod';
import type { AnyProcedure, AnyRouter } from '@trpc/server';

/** Every procedure of a router, read from its definition, so a new procedure is covered by itself. */
export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** JSON Schema of the (merged) input, or null when the procedure takes none. */
  input: JsonSchema | null;
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  default?: unknown;
};

export function listProcedures(router: AnyRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  return Object.entries(procedures)
    .map(([path, procedure]) => {
      const def = procedure._def as unknown as { type: ProcedureInfo['type']; inputs: unknown[] };
      const parsers = def.inputs.filter((p): p is z.ZodType => p instanceof z.ZodType);
      let input: JsonSchema | null = null;
      if (parsers.length > 0) {
        const merged = parsers.map((p) => z.toJSONSchema(p, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
        input = merged.length === 1 ? merged[0]! : { type: 'object', properties: Object.assign({}, ...merged.map((m) => m.properties ?? {})) };
      }
      return { path, type: def.type, input };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** What an attacker of tenant A fills in: tenant B's identifiers, slug and names. */
export interface ForeignValues {
  id: string;
  slug: string;
  name: string;
}

const looksLikeId = (key: string) => key === 'id' || /Id$/.test(key) || key === 'ids' || /Ids$/.test(key);

/**
 * An input shaped like the schema, with every identifier set to `foreign.id`, every slug to
 * tenant B's slug and every name to one of tenant B's names. Optional fields are filled too, so an
 * id hidden in an optional field or a nested object (an update body carrying another tenant's id)
 * is exercised.
 */
export function sampleInput(schema: JsonSchema, foreign: ForeignValues, key = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const nonNull = options.filter((o) => o.type !== 'null');
    return sampleInput(nonNull[0] ?? options[0]!, foreign, key);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sampleInput(v, foreign, k);
      return out;
    }
    case 'array': {
      const n = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: n }, () => sampleInput(schema.items ?? {}, foreign, key.replace(/s$/, '')));
    }
    case 'string':
      if (schema.format === 'uuid' || looksLikeId(key)) return foreign.id;
      if (key === 'slug' || key === 'tenant') return foreign.slug;
      if (/name$/i.test(key)) return foreign.name;
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.format === 'uri' || key === 'url' || key === 'baseUrl') return 'https://example.com/x';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      if (schema.default !== undefined) return schema.default;
      // z.unknown(), z.coerce.date() and other unrepresentable parts.
      return looksLikeId(key) ? foreign.id : {};
  }
}

/** Calls `path` (dotted) on a tRPC caller. */
export function callPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller);
  return Promise.resolve().then(() => (fn as (i: unknown) => Promise<unknown>)(input));
}
