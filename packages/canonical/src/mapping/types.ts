import type { CanonicalName } from '../registry';

export const ERP_IDS = ['netsuite', 'business-central', 'sap', 'workday', 'oracle-fusion'] as const;
export type ErpId = (typeof ERP_IDS)[number];

/** `toErp`: canonical object → ERP request payload. `fromErp`: ERP record → canonical object. */
export const MAPPING_DIRECTIONS = ['toErp', 'fromErp'] as const;
export type MappingDirection = (typeof MAPPING_DIRECTIONS)[number];

/**
 * A mapping is a set of target fields, each computed by one JSONata expression, rather than one big
 * expression: a tenant can then replace a single field, and every error names the field it came from.
 *
 * - Keys are target paths: `tranDate`, `subsidiary.id` (nested objects are created as needed).
 * - A value is a JSONata expression over the source object (`$`), or a per-line block
 *   `{ each, fields }`: `each` selects a list in the source and `fields` maps every element of it
 *   (there `$` is the element, `$root` the whole source and `$index` the 0-based position).
 *   Overrides address fields inside a block as `item.items[].rate`.
 * - A field whose expression yields nothing (undefined) is left out of the payload.
 */
export type FieldMapping = string | EachBlock;
export interface EachBlock {
  each: string;
  fields: FieldMappings;
}
export type FieldMappings = Readonly<Record<string, FieldMapping>>;

export interface MappingDefinition {
  /** `${erp}.${object}.${direction}`, named in every error. */
  id: string;
  erp: ErpId;
  object: CanonicalName;
  direction: MappingDirection;
  /** The canonical version the expressions read (toErp) or produce (fromErp). */
  canonicalVersion: number;
  /** The ERP resource the payload is for, e.g. `POST /services/rest/record/v1/invoice`. */
  resource: string;
  description: string;
  fields: FieldMappings;
}

export const LOOKUP_TABLES = ['accounts', 'taxCodes', 'subsidiaries', 'companyCodes', 'currencies', 'paymentTerms'] as const;
export type LookupTable = (typeof LOOKUP_TABLES)[number];

/**
 * A tenant's adjustments to a default mapping.
 * - `fieldOverrides`: target field path → JSONata expression that replaces (or adds) that field; an
 *   empty string removes the field from the payload.
 * - `lookups`: the tenant's code → the ERP's code, per table, available to expressions as
 *   `$lookup(table, code)` (and `$reverseLookup(table, erpCode)` for ERP → canonical). A table the
 *   tenant has not filled in passes codes through unchanged (their codes already are the ERP's);
 *   once it has entries, a code without an entry is an error naming the table and the code.
 */
export interface TenantMappingOverlay {
  fieldOverrides: Record<string, string>;
  lookups: Partial<Record<LookupTable, Record<string, string>>>;
}

export type MappingStage = 'request' | 'overlay' | 'input' | 'mapping' | 'output';

export interface MappingError {
  /** The mapping id, e.g. `netsuite.invoice.toErp`. */
  mapping: string;
  /** The target field (`item.items[1].rate`), the input field for `input` errors, or '' for the whole. */
  field: string;
  message: string;
  /** Where it failed: the request itself, the tenant overlay, the input payload, an expression, the output. */
  stage: MappingStage;
  /** For `mapping` errors: whether the failing expression is the default's or the tenant's override. */
  origin?: 'default' | 'override';
}

export type MappingResult = { ok: true; payload: unknown } | { ok: false; errors: MappingError[] };

export function mappingId(erp: string, object: string, direction: string): string {
  return `${erp}.${object}.${direction}`;
}

/** Builds a default mapping definition with its id derived from erp, object and direction. */
export function defineMapping(erp: ErpId, definition: Omit<MappingDefinition, 'id' | 'erp'>): MappingDefinition {
  return { ...definition, erp, id: mappingId(erp, definition.object, definition.direction) };
}
