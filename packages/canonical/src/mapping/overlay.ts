import { z } from 'zod';
import { LOOKUP_TABLES, type EachBlock, type FieldMapping, type FieldMappings, type LookupTable, type MappingError, type TenantMappingOverlay } from './types';

/** `name` or `name[]` segments joined by dots: `subsidiary.id`, `item.items[].rate`, `externalIds.business-central`. */
export const FIELD_PATH_PATTERN = /^[A-Za-z_$][\w$-]*(\[\])?(\.[A-Za-z_$][\w$-]*(\[\])?)*$/;

const FieldPath = z.string().max(300).regex(FIELD_PATH_PATTERN, 'must be a field path such as "memo", "subsidiary.id" or "item.items[].rate"');
const LookupTableEntries = z.record(
  z.string().min(1, 'must not be empty').max(64),
  // Empty values are allowed: Business Central writes the local currency as "".
  z.string().max(200),
);

export const TenantMappingOverlaySchema = z.strictObject({
  fieldOverrides: z.record(FieldPath, z.string().max(20_000)).default({}),
  lookups: z
    .strictObject(Object.fromEntries(LOOKUP_TABLES.map((table) => [table, LookupTableEntries.optional()])) as Record<LookupTable, z.ZodOptional<typeof LookupTableEntries>>)
    .default({}),
});

export function emptyOverlay(): TenantMappingOverlay {
  return { fieldOverrides: {}, lookups: {} };
}

/** A field after overrides: where it goes, what computes it, and whose expression it is. */
export type ResolvedField =
  | { kind: 'expression'; key: string; path: string[]; expression: string; origin: Origin }
  | { kind: 'each'; key: string; path: string[]; each: string; fields: ResolvedField[]; origin: Origin };
type Origin = 'default' | 'override';

interface MutableEntry {
  origin: Origin;
  expression?: string;
  block?: { each: string; fields: Map<string, MutableEntry> };
}

function toMutable(fields: FieldMappings): Map<string, MutableEntry> {
  const map = new Map<string, MutableEntry>();
  for (const [key, mapping] of Object.entries(fields)) map.set(key, toEntry(mapping));
  return map;
}

function toEntry(mapping: FieldMapping): MutableEntry {
  if (typeof mapping === 'string') return { origin: 'default', expression: mapping };
  const block: EachBlock = mapping;
  return { origin: 'default', block: { each: block.each, fields: toMutable(block.fields) } };
}

/**
 * Applies `fieldOverrides` to a default mapping, field by field. Replacing `entity` also drops the
 * default's `entity.*` fields (the override owns that subtree); `item.items[].rate` descends into the
 * per-line block at `item.items`; an empty expression removes the field.
 */
export function resolveFields(mappingId: string, defaults: FieldMappings, overrides: Record<string, string>): { fields: ResolvedField[]; errors: MappingError[] } {
  const root = toMutable(defaults);
  const errors: MappingError[] = [];
  const reject = (field: string, message: string) => errors.push({ mapping: mappingId, field, stage: 'overlay', message });
  for (const [target, expression] of Object.entries(overrides)) {
    if (!FIELD_PATH_PATTERN.test(target)) {
      reject(target, 'is not a field path such as "memo", "subsidiary.id" or "item.items[].rate"');
      continue;
    }
    // "item.items[].taxCode.id" → the block at "item.items", then "taxCode.id" inside it.
    const parts = target.split('[].');
    const key = parts.pop() ?? target;
    let fields: Map<string, MutableEntry> | undefined = root;
    for (const blockKey of parts) {
      const block: MutableEntry['block'] = fields.get(blockKey)?.block;
      if (block === undefined) {
        reject(target, `"${blockKey}" is not a per-line block of this mapping, so "${blockKey}[]" cannot be addressed`);
        fields = undefined;
        break;
      }
      fields = block.fields;
    }
    if (fields === undefined) continue;
    if (key.endsWith('[]')) {
      reject(target, 'must name a field inside the block, e.g. "item.items[].rate"');
      continue;
    }
    for (const existing of [...fields.keys()]) {
      if (existing.startsWith(`${key}.`) || existing.startsWith(`${key}[]`)) fields.delete(existing);
    }
    if (expression.trim() === '') fields.delete(key);
    else fields.set(key, { origin: 'override', expression });
  }
  return { fields: freeze(root), errors };
}

function freeze(fields: Map<string, MutableEntry>): ResolvedField[] {
  return [...fields.entries()].map(([key, entry]): ResolvedField => {
    const path = key.split('.');
    if (entry.block !== undefined) {
      return { kind: 'each', key, path, each: entry.block.each, fields: freeze(entry.block.fields), origin: entry.origin };
    }
    return { kind: 'expression', key, path, expression: entry.expression ?? '', origin: entry.origin };
  });
}
