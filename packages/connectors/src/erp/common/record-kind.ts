import { CANONICAL_NAMES, TenantMappingOverlaySchema, type CanonicalName, type TenantMappingOverlay } from '@switchyard/canonical';
import { defineNodeKind, type NodeKindDefinition } from '@switchyard/workflow';
import { z } from 'zod';

/**
 * Browser-safe: the config every ERP record node shares (`netsuite.record`, `sap.record`, …). The
 * system-specific parts are the record types, the operations each allows and the extra fields
 * (Workday's parent worker, the back office's actions).
 */

export const RECORD_OPERATIONS = ['create', 'upsert', 'get', 'query', 'update', 'delete', 'action'] as const;
export type RecordOperation = (typeof RECORD_OPERATIONS)[number];

export interface ErpRecordConfig {
  connectionId: string;
  operation: RecordOperation;
  recordType: string;
  externalIdPath?: string;
  idPath?: string;
  parentIdPath?: string;
  action?: string;
  mapping?: { object: CanonicalName; canonicalVersion?: number; overlay?: TenantMappingOverlay };
  payload?: string;
  filter?: string;
  pageSize: number;
  maxRecords: number;
}

const expression = (title: string, description: string) => z.string().max(20_000).optional().meta({ title, description });
const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

export interface RecordKindSpec {
  kind: string;
  displayName: string;
  description: string;
  icon: string;
  recordTypes: readonly [string, ...string[]];
  operations: readonly [RecordOperation, ...RecordOperation[]];
  /** Which ERP's canonical mappings the node can apply; undefined for systems without them. */
  mappingErp?: string;
  actions?: readonly [string, ...string[]];
  /** Record types addressed under a parent record (Workday cost allocations under a worker). */
  parentTypes?: readonly string[];
  defaultRecordType: string;
  queryHelp: string;
}

export function recordConfigSchema(spec: RecordKindSpec): z.ZodType<ErpRecordConfig> {
  const shape = {
    connectionId: z
      .string()
      .trim()
      .min(1, 'must name a connection')
      .max(200)
      .meta({ title: 'Connection', description: "The tenant's connection to use, by id or name (credentials stay in the connection)." }),
    operation: z.enum(spec.operations).default(spec.operations.includes('upsert') ? 'upsert' : spec.operations[0]).meta({ title: 'Operation' }),
    recordType: z.enum(spec.recordTypes as [string, ...string[]]).meta({ title: 'Record type' }),
    externalIdPath: expression('External id', 'JSONata over the input giving the external id (e.g. `number`): the key upserts match on, so retries never duplicate.'),
    idPath: expression('Record id', "JSONata over the input giving the ERP's own record id (for get, update, delete)."),
    ...(spec.parentTypes ? { parentIdPath: expression('Parent id', `JSONata giving the parent record's id (needed for ${spec.parentTypes.join(', ')}).`) } : {}),
    ...(spec.actions ? { action: z.enum(spec.actions as [string, ...string[]]).optional().meta({ title: 'Action', description: 'For the `action` operation.' }) } : {}),
    ...(spec.mappingErp
      ? {
          mapping: z
            .strictObject({
              object: z.enum(CANONICAL_NAMES as [CanonicalName, ...CanonicalName[]]).meta({ title: 'Canonical object' }),
              canonicalVersion: z.number().int().min(1).optional().meta({ title: 'Input version', description: 'Older versions are migrated first.' }),
              overlay: TenantMappingOverlaySchema.optional().meta({ title: 'Tenant overlay', description: 'Field overrides and lookup tables applied on top of the default mapping.' }),
            })
            .optional()
            .meta({ title: 'Canonical mapping', description: 'Treat the input as a canonical object and map it to the ERP payload with the default mapping and this overlay.' }),
        }
      : {}),
    payload: expression('Payload', 'JSONata over the input giving the request body; empty sends the input (or the mapped canonical object).'),
    filter: expression('Query', spec.queryHelp),
    pageSize: z.number().int().min(1).max(1000).default(100).meta({ title: 'Page size' }),
    maxRecords: z.number().int().min(1).max(100_000).default(1000).meta({ title: 'Max records', description: 'A query stops after this many records.' }),
  };
  return z.object(shape).superRefine((config, ctx) => {
    const c = config as unknown as ErpRecordConfig;
    if (c.operation === 'upsert' && !isSet(c.externalIdPath)) ctx.addIssue({ code: 'custom', path: ['externalIdPath'], message: 'is required for upsert' });
    if (['get', 'update', 'delete', 'action'].includes(c.operation) && !isSet(c.idPath) && !isSet(c.externalIdPath)) {
      ctx.addIssue({ code: 'custom', path: ['idPath'], message: `${c.operation} needs a record id or an external id` });
    }
    if (c.mapping && isSet(c.payload)) ctx.addIssue({ code: 'custom', path: ['payload'], message: 'cannot be combined with a canonical mapping' });
    if (c.operation === 'action' && !c.action) ctx.addIssue({ code: 'custom', path: ['action'], message: 'is required for the action operation' });
    if (spec.parentTypes?.includes(c.recordType) && !isSet(c.parentIdPath)) {
      ctx.addIssue({ code: 'custom', path: ['parentIdPath'], message: `is required for ${c.recordType}` });
    }
  }) as unknown as z.ZodType<ErpRecordConfig>;
}

export function defineRecordKind(spec: RecordKindSpec): NodeKindDefinition<ErpRecordConfig> {
  return defineNodeKind<ErpRecordConfig>()({
    kind: spec.kind,
    version: 1,
    category: 'action',
    displayName: spec.displayName,
    description: spec.description,
    icon: spec.icon,
    configSchema: recordConfigSchema(spec),
    defaultConfig: {
      connectionId: '',
      operation: spec.operations.includes('upsert') ? 'upsert' : spec.operations[0],
      recordType: spec.defaultRecordType,
      pageSize: 100,
      maxRecords: 1000,
      ...(spec.operations.includes('upsert') ? { externalIdPath: 'number' } : {}),
    },
    isTrigger: false,
    outputs: ['out', 'error'],
  });
}
