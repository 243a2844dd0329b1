import { previewMapping } from '@switchyard/canonical';
import { NodeExecutionError, type ExecutorContext, type ExecutorResult, type ResolvedConnection } from '@switchyard/workflow';
import { evaluateNodeExpression, optionalExpression, type ExpressionBudget } from '../../kinds/expression-budget';
import { checkConnection, type ConnectionSystemDefinition } from './connection-kind';
import type { ErpRecordConfig } from './record-kind';
import type { TokenCache } from './token-cache';

/** What every ERP executor shares across steps: the HTTP client, token caches, expression budget. */
export interface ErpDeps {
  fetch: typeof fetch;
  tokens: TokenCache;
  budget: ExpressionBudget;
  now: () => number;
  /** Shared by steps of one worker: per-connection state such as SAP CSRF sessions. */
  sessions: Map<string, unknown>;
}

export interface RecordRef {
  id?: string;
  externalId?: string;
}

export interface RecordResult {
  id: string;
  externalId?: string;
  /** True when a write created the record, false when it found (and maybe updated) one; absent when unknown. */
  created?: boolean;
  /** An action found its work already done (a retried posting): nothing was changed. */
  alreadyDone?: boolean;
  record: unknown;
}

export interface QueryResult {
  records: unknown[];
  pages: number;
  /** True when `maxRecords` cut the result short. */
  truncated: boolean;
}

export interface QueryOptions {
  pageSize: number;
  maxRecords: number;
}

/** The operations of one system's client; the executor calls the one the node's config names. */
export interface RecordOperations {
  create?(recordType: string, payload: unknown, parentId?: string): Promise<RecordResult>;
  upsert?(recordType: string, externalId: string, payload: unknown, parentId?: string): Promise<RecordResult>;
  get?(recordType: string, ref: RecordRef, parentId?: string): Promise<RecordResult | null>;
  query?(recordType: string, filter: unknown, options: QueryOptions, parentId?: string): Promise<QueryResult>;
  update?(recordType: string, ref: RecordRef, payload: unknown): Promise<RecordResult>;
  delete?(recordType: string, ref: RecordRef): Promise<{ deleted: boolean }>;
  action?(recordType: string, ref: RecordRef, action: string, payload: unknown): Promise<RecordResult>;
}

export interface ParsedConnection {
  id: string;
  name: string;
  baseUrl: string;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

/**
 * Looks the node's connection up in the run's tenant and checks that it is one of this system's and
 * complete. Every failure is permanent: no retry can create a missing connection.
 */
export async function requireConnection(ctx: ExecutorContext, nameOrId: string, def: ConnectionSystemDefinition): Promise<ParsedConnection> {
  const fail = (code: string, message: string) => new NodeExecutionError(message, { code, retryable: false });
  if (!ctx.connections) {
    throw fail('connections_unavailable', `${def.displayName}: this worker has no connection store, so connection ${JSON.stringify(nameOrId)} cannot be used`);
  }
  const found: ResolvedConnection | null = await ctx.connections.get(nameOrId);
  if (!found) throw fail('connection_not_found', `${def.displayName}: connection ${JSON.stringify(nameOrId)} does not exist in this tenant`);
  if (found.kind !== def.system) {
    throw fail('connection_kind_mismatch', `${def.displayName}: connection ${JSON.stringify(found.name)} is a ${found.kind} connection, not ${def.system}`);
  }
  const checked = checkConnection(def, found);
  if (!checked.ok) {
    const detail = checked.issues.map((i) => `${i.field} ${i.message}`).join('; ');
    throw fail('connection_invalid', `${def.displayName}: connection ${JSON.stringify(found.name)} is incomplete: ${detail}`);
  }
  return { id: found.id, name: found.name, baseUrl: found.baseUrl.replace(/\/+$/, ''), config: checked.config, credentials: checked.credentials };
}

const WRITES = new Set(['create', 'upsert', 'update', 'action']);

/** Turns the node's config and input into one call of the client and the step output. */
export async function runRecordOperation(
  ctx: ExecutorContext,
  deps: Pick<ErpDeps, 'budget'>,
  kind: string,
  mappingErp: string | undefined,
  config: ErpRecordConfig,
  input: unknown,
  ops: RecordOperations,
): Promise<ExecutorResult> {
  const evalOptional = async (field: keyof ErpRecordConfig, value: string | undefined): Promise<string | undefined> => {
    const expression = optionalExpression(value);
    if (expression === undefined) return undefined;
    const result = await evaluateNodeExpression(ctx, deps.budget, field, expression, input);
    if (result === undefined || result === null || result === '') {
      throw new NodeExecutionError(`${kind} ${field}: ${JSON.stringify(expression)} gave no value for this input`, { code: 'missing_key', retryable: false });
    }
    if (typeof result !== 'string' && typeof result !== 'number') {
      throw new NodeExecutionError(`${kind} ${field}: ${JSON.stringify(expression)} must give a string or number, got ${Array.isArray(result) ? 'an array' : typeof result}`, {
        code: 'missing_key',
        retryable: false,
      });
    }
    return String(result);
  };
  const externalId = await evalOptional('externalIdPath', config.externalIdPath);
  const id = await evalOptional('idPath', config.idPath);
  const parentId = await evalOptional('parentIdPath', config.parentIdPath);
  const ref: RecordRef = { ...(id !== undefined ? { id } : {}), ...(externalId !== undefined ? { externalId } : {}) };
  const payload = WRITES.has(config.operation) ? await buildPayload(ctx, deps.budget, kind, mappingErp, config, input) : undefined;
  const unsupported = () =>
    new NodeExecutionError(`${kind} does not support ${config.operation} on ${config.recordType}`, { code: 'invalid_config', retryable: false });
  const base = { operation: config.operation, recordType: config.recordType };

  switch (config.operation) {
    case 'create':
      if (!ops.create) throw unsupported();
      return { output: { ...base, ...(await ops.create(config.recordType, payload, parentId)) } };
    case 'upsert':
      if (!ops.upsert) throw unsupported();
      return { output: { ...base, ...(await ops.upsert(config.recordType, externalId as string, payload, parentId)) } };
    case 'get': {
      if (!ops.get) throw unsupported();
      const found = await ops.get(config.recordType, ref, parentId);
      if (!found) {
        throw new NodeExecutionError(`${kind}: no ${config.recordType} with ${describeRef(ref)}`, { code: 'not_found', retryable: false, status: 404 });
      }
      return { output: { ...base, ...found } };
    }
    case 'query': {
      if (!ops.query) throw unsupported();
      const expression = optionalExpression(config.filter);
      const filter = expression === undefined ? undefined : await evaluateNodeExpression(ctx, deps.budget, 'filter', expression, input);
      const result = await ops.query(config.recordType, filter, { pageSize: config.pageSize, maxRecords: config.maxRecords }, parentId);
      return { output: { ...base, count: result.records.length, ...result } };
    }
    case 'update':
      if (!ops.update) throw unsupported();
      return { output: { ...base, ...(await ops.update(config.recordType, ref, payload)) } };
    case 'delete':
      if (!ops.delete) throw unsupported();
      return { output: { ...base, ...ref, ...(await ops.delete(config.recordType, ref)) } };
    case 'action':
      if (!ops.action) throw unsupported();
      return { output: { ...base, action: config.action, ...(await ops.action(config.recordType, ref, config.action as string, payload)) } };
  }
}

function describeRef(ref: RecordRef): string {
  return ref.id !== undefined ? `id ${JSON.stringify(ref.id)}` : `external id ${JSON.stringify(ref.externalId)}`;
}

/** The request body: the canonical object mapped for this ERP, the payload expression, or the input. */
async function buildPayload(
  ctx: ExecutorContext,
  budget: ExpressionBudget,
  kind: string,
  mappingErp: string | undefined,
  config: ErpRecordConfig,
  input: unknown,
): Promise<unknown> {
  if (config.mapping && mappingErp) {
    const mapped = await previewMapping({
      erp: mappingErp,
      object: config.mapping.object,
      direction: 'toErp',
      canonical: input,
      ...(config.mapping.canonicalVersion !== undefined ? { canonicalVersion: config.mapping.canonicalVersion } : {}),
      overlay: config.mapping.overlay ?? {},
      timeoutMs: Math.min(budget.timeoutMs * 5, 10_000),
    });
    if (!mapped.ok) {
      const shown = mapped.errors.slice(0, 10).map((e) => `${e.field === '' ? '(whole object)' : e.field}: ${e.message}`);
      const more = mapped.errors.length > 10 ? `; and ${mapped.errors.length - 10} more` : '';
      const mappingId = mapped.errors[0]?.mapping ?? `${mappingErp}.${config.mapping.object}.toErp`;
      throw new NodeExecutionError(`${kind}: mapping ${mappingId} failed: ${shown.join('; ')}${more}`, { code: 'mapping_failed', retryable: false });
    }
    return mapped.payload;
  }
  const expression = optionalExpression(config.payload);
  const value = expression === undefined ? input : await evaluateNodeExpression(ctx, budget, 'payload', expression, input);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new NodeExecutionError(`${kind} payload: the request body must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, {
      code: 'invalid_payload',
      retryable: false,
    });
  }
  return value;
}
