import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { isPlainObject, parseJsonBody, valueAt, type SimRequest, type SimResponse } from '../core/http-server';
import type { RecordData, StoredRecord } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';

/** One simulated back-office tenant. */
export interface BackOfficeAccountConfig {
  account: string;
  /** Accepted as `X-API-Key: <key>` or `Authorization: Bearer <key>`. */
  apiKeys: string[];
  /** Stock per SKU for the warehouse; SKUs not listed are unlimited. */
  inventory?: Record<string, number>;
  /** Where the warehouse POSTs `fulfillment_order.shipped` events. */
  webhookUrl?: string;
  /** When set, the warehouse ships accepted orders by itself after this many milliseconds. */
  autoShipAfterMs?: number;
}

export interface BoCtx {
  req: SimRequest;
  res: SimResponse;
  kit: SimKit;
  account: string;
  config: BackOfficeAccountConfig;
}

export type ErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'api_error' | 'idempotency_error';

/** Error body of the generic back-office APIs: `{ error: { type, code, message, param? } }`. */
export function boError(status: number, type: ErrorType, code: string, message: string, param?: string): VendorReply {
  return { status, body: { error: { type, code, message, ...(param ? { param } : {}) } } };
}

export const send = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);
export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;
export const notFound = (object: string, id: string): VendorReply =>
  boError(404, 'invalid_request_error', 'resource_missing', `No such ${object}: '${id}'`, 'id');

export type Prepared = { data: RecordData } | { error: VendorReply };

export interface ResourceDef {
  kind: string;
  object: string;
  idPrefix: string;
  createSchema: z.ZodType<RecordData>;
  updateSchema?: z.ZodType<RecordData>;
  /** Query parameters that filter a list by exact match on a top-level field. */
  filters: string[];
  /** Extra checks and derived fields on create: the record to store, or the error to answer. */
  prepare?(ctx: BoCtx, data: RecordData): Prepared;
}

/** Parses and validates a JSON body; the first failing field becomes `param` (e.g. `lines[0].quantity`). */
export function readBody(ctx: BoCtx, schema: z.ZodType<RecordData>): RecordData | undefined {
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok || !isPlainObject(parsed.value)) {
    send(ctx.res, boError(400, 'invalid_request_error', 'invalid_json', `The request body must be a JSON object${parsed.ok ? '' : `: ${parsed.message}`}`));
    return undefined;
  }
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const param = issue.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
  const missing = valueAt(parsed.value, issue.path) === undefined;
  send(
    ctx.res,
    boError(
      400,
      'invalid_request_error',
      missing ? 'parameter_missing' : 'parameter_invalid',
      missing ? `Missing required param: ${param}.` : `Invalid ${param}: ${issue.message}`,
      param,
    ),
  );
  return undefined;
}

export function present(def: ResourceDef, r: StoredRecord): RecordData {
  return { id: r.id, object: def.object, created: Math.floor(r.createdAt / 1000), ...r.data };
}

/** Cursor paging: `limit` (1–100, default 20) and `starting_after=<id>`; answers `{ object: "list", data, has_more }`. */
export function list(ctx: BoCtx, def: ResourceDef, extra?: (r: StoredRecord) => boolean): void {
  const p = ctx.req.url.searchParams;
  const limit = p.has('limit') ? Number(p.get('limit')) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return send(ctx.res, boError(400, 'invalid_request_error', 'parameter_invalid', 'Invalid limit: must be an integer from 1 to 100.', 'limit'));
  let rows = ctx.kit.store.list(ctx.account, def.kind);
  for (const f of def.filters) {
    const v = p.get(f);
    if (v !== null) rows = rows.filter((r) => String(r.data[f] ?? '') === v);
  }
  if (extra) rows = rows.filter(extra);
  const after = p.get('starting_after');
  if (after !== null) {
    const at = rows.findIndex((r) => r.id === after);
    if (at === -1)
      return send(
        ctx.res,
        boError(400, 'invalid_request_error', 'parameter_invalid', `Invalid starting_after: no ${def.object} '${after}' in this list.`, 'starting_after'),
      );
    rows = rows.slice(at + 1);
  }
  ctx.res.send(200, { object: 'list', data: rows.slice(0, limit).map((r) => present(def, r)), has_more: rows.length > limit });
}

export function create(ctx: BoCtx, def: ResourceDef): void {
  const body = readBody(ctx, def.createSchema);
  if (!body) return;
  const ext = body.externalId;
  if (typeof ext === 'string') {
    const dup = ctx.kit.store.find(ctx.account, def.kind, (r) => r.data.externalId === ext);
    if (dup) {
      const r = boError(
        409,
        'invalid_request_error',
        'duplicate_external_id',
        `A ${def.object} with externalId '${ext}' already exists: ${dup.id}.`,
        'externalId',
      );
      return ctx.res.send(r.status, { error: { ...(r.body as { error: RecordData }).error, existingId: dup.id } });
    }
  }
  const prepared = def.prepare ? def.prepare(ctx, body) : { data: body };
  if ('error' in prepared) return send(ctx.res, prepared.error);
  const rec = ctx.kit.store.insert(ctx.account, def.kind, newId(def.idPrefix), prepared.data);
  ctx.res.send(201, present(def, rec));
}

export function getOne(ctx: BoCtx, def: ResourceDef, id: string): StoredRecord | undefined {
  const rec = ctx.kit.store.get(ctx.account, def.kind, id);
  if (!rec) send(ctx.res, notFound(def.object, id));
  return rec;
}

export function update(ctx: BoCtx, def: ResourceDef, rec: StoredRecord): void {
  if (!def.updateSchema) return send(ctx.res, boError(405, 'invalid_request_error', 'method_not_allowed', `A ${def.object} cannot be changed.`));
  const body = readBody(ctx, def.updateSchema);
  if (!body) return;
  const saved = ctx.kit.store.replace(ctx.account, def.kind, rec.id, { ...rec.data, ...body }) as StoredRecord;
  ctx.res.send(200, present(def, saved));
}

/** Routes `/{collection}[/{id}]` to list/create/get/update; anything else is left to the caller. */
export function crud(ctx: BoCtx, def: ResourceDef, id: string | undefined): void {
  const m = ctx.req.method;
  if (id === undefined) {
    if (m === 'GET') return list(ctx, def);
    if (m === 'POST') return create(ctx, def);
    return send(ctx.res, boError(405, 'invalid_request_error', 'method_not_allowed', `${m} is not allowed on this collection.`));
  }
  const rec = getOne(ctx, def, id);
  if (!rec) return;
  if (m === 'GET') return ctx.res.send(200, present(def, rec));
  if (m === 'PATCH') return update(ctx, def, rec);
  send(ctx.res, boError(405, 'invalid_request_error', 'method_not_allowed', `${m} is not allowed on a ${def.object}.`));
}
