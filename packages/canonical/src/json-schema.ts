import { z } from 'zod';
import { CANONICAL_NAMES, canonicalVersions, getCanonicalSchema, latestCanonicalVersion, type CanonicalName } from './registry';

export type JsonSchema = Record<string, unknown>;

export function canonicalSchemaId(name: CanonicalName, version: number): string {
  return `urn:switchyard:canonical:${name}:v${version}`;
}

/**
 * JSON Schema (draft 2020-12) of a canonical object, for partners, the designer's forms and
 * documentation. Cross-field rules (totals, balanced journals, line arithmetic) cannot be expressed
 * in JSON Schema and are enforced by validateCanonical only; the description says so.
 */
export function canonicalJsonSchema(name: CanonicalName, version: number = latestCanonicalVersion(name)): JsonSchema {
  const schema = getCanonicalSchema(name, version);
  if (schema === undefined) throw new RangeError(`${name} has no version ${version}; versions: ${canonicalVersions(name).join(', ')}`);
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const description = typeof json.description === 'string' ? `${json.description} ` : '';
  return {
    ...json,
    $id: canonicalSchemaId(name, version),
    description: `${description}Totals, line arithmetic and other cross-field rules are checked by Switchyard's validator.`,
  };
}

export function allCanonicalJsonSchemas(): { name: CanonicalName; version: number; schema: JsonSchema }[] {
  return CANONICAL_NAMES.flatMap((name) => canonicalVersions(name).map((version) => ({ name, version, schema: canonicalJsonSchema(name, version) })));
}
