import type { z } from 'zod';
import { isPlainObject, parseJsonBody, type SimRequest, type SimResponse } from '../core/http-server';
import type { RecordData, StoredRecord } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';
import { invalidContent, invalidParameter, missingFields, nonexistentId, nsError } from './errors';
import { collection, readPaging } from './paging';
import { compileRecordQuery, flattenFields, RecordQueryError } from './record-query';
import { computeDerived, errorPath, isRecordType, mergeRecord, NETSUITE_RECORD_TYPES, RECORD_TYPES, type NetSuiteRecordType } from './record-types';

export const RECORD_PREFIX = '/services/rest/record/v1';

interface Ctx {
  req: SimRequest;
  res: SimResponse;
  kit: SimKit;
  account: string;
}

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);

/** `/services/rest/record/v1/{type}[/{id}[/{sublist}]]` with id an internal id or `eid:<externalId>`. */
export function handleRecordRequest(ctx: Ctx): void {
  const rest = ctx.req.rawPath.slice(RECORD_PREFIX.length).split('/').filter(Boolean).map(safeDecode);
  const [type, idSegment, sublist, extra] = rest;
  if (!type || extra !== undefined || !isRecordType(type)) {
    reply(
      ctx.res,
      nsError(404, {
        detail: `Record type '${type ?? ''}' does not exist. Supported types: ${NETSUITE_RECORD_TYPES.join(', ')}.`,
        'o:errorCode': 'NONEXISTENT_RECORD_TYPE',
        'o:errorUrl': ctx.req.rawPath,
      }),
    );
    return;
  }
  const m = ctx.req.method;
  if (idSegment === undefined) {
    if (m === 'GET') return list(ctx, type);
    if (m === 'POST') return write(ctx, type, undefined, 'create');
    return reply(ctx.res, methodNotAllowed(m));
  }
  const existing = findRecord(ctx, type, idSegment);
  if (sublist !== undefined) {
    if (m !== 'GET') return reply(ctx.res, methodNotAllowed(m));
    if (!existing) return reply(ctx.res, nonexistentId(ctx.req.rawPath));
    return getSublist(ctx, type, existing, sublist);
  }
  switch (m) {
    case 'GET':
      if (!existing) return reply(ctx.res, nonexistentId(ctx.req.rawPath));
      return ctx.res.send(200, present(ctx, type, existing, ctx.req.url.searchParams.get('expandSubResources') === 'true'));
    case 'PATCH':
      if (!existing) return reply(ctx.res, nonexistentId(ctx.req.rawPath));
      return write(ctx, type, existing, 'update');
    case 'PUT':
      if (!idSegment.startsWith('eid:')) {
        return reply(
          ctx.res,
          nsError(405, {
            detail: 'The upsert operation (PUT) is only supported with an external ID in the URL: …/{type}/eid:{externalId}.',
            'o:errorCode': 'INVALID_METHOD',
          }),
        );
      }
      return write(ctx, type, existing, existing ? 'update' : 'create', idSegment.slice(4));
    case 'DELETE':
      if (!existing) return reply(ctx.res, nonexistentId(ctx.req.rawPath));
      ctx.kit.store.delete(ctx.account, type, existing.id);
      return ctx.res.send(204);
    default:
      return reply(ctx.res, methodNotAllowed(m));
  }
}

function findRecord(ctx: Ctx, type: NetSuiteRecordType, idSegment: string): StoredRecord | undefined {
  if (idSegment.startsWith('eid:')) {
    const eid = idSegment.slice(4);
    return ctx.kit.store.find(ctx.account, type, (r) => r.data.externalId === eid);
  }
  return /^\d+$/.test(idSegment) ? ctx.kit.store.get(ctx.account, type, idSegment) : undefined;
}

function list(ctx: Ctx, type: NetSuiteRecordType): void {
  const paging = readPaging(ctx.req.url.searchParams);
  if (!paging.ok) return reply(ctx.res, paging.reply);
  let records = ctx.kit.store.list(ctx.account, type);
  const q = ctx.req.url.searchParams.get('q');
  if (q !== null) {
    const known = new Set<string>(['id', 'externalId', ...shapeKeys(RECORD_TYPES[type].schema)]);
    for (const r of records) for (const k of Object.keys(flattenFields(r.data))) known.add(k);
    try {
      const predicate = compileRecordQuery(q, known);
      records = records.filter((r) => predicate({ ...r.data, id: r.id }));
    } catch (err) {
      if (err instanceof RecordQueryError) return reply(ctx.res, invalidParameter('q', err.message));
      throw err;
    }
  }
  const base = `${ctx.req.origin}${RECORD_PREFIX}/${type}`;
  const items = records.map((r) => ({ links: [{ rel: 'self', href: `${base}/${r.id}` }], id: r.id }));
  ctx.res.send(200, collection(new URL(base + ctx.req.url.search), items, paging.limit, paging.offset));
}

function write(ctx: Ctx, type: NetSuiteRecordType, existing: StoredRecord | undefined, mode: 'create' | 'update', urlExternalId?: string): void {
  const def = RECORD_TYPES[type];
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok) return reply(ctx.res, nsError(400, { detail: `Invalid request body: ${parsed.message}`, 'o:errorCode': 'INVALID_CONTENT' }));
  if (!isPlainObject(parsed.value))
    return reply(ctx.res, nsError(400, { detail: 'The request body must be a JSON object.', 'o:errorCode': 'INVALID_CONTENT' }));
  const body: RecordData = { ...parsed.value };
  for (const readOnly of ['id', 'links', 'createdDate', 'lastModifiedDate', 'total', 'subtotal']) delete body[readOnly];
  if (urlExternalId !== undefined) {
    if (body.externalId !== undefined && body.externalId !== urlExternalId) {
      return reply(
        ctx.res,
        invalidContent('externalId', `The external ID in the body (${String(body.externalId)}) does not match the external ID in the URL (${urlExternalId}).`),
      );
    }
    body.externalId = urlExternalId;
  }
  const typed = def.schema.safeParse(body);
  if (!typed.success) return reply(ctx.res, typeErrors(typed.error, body));

  const replace = new Set((ctx.req.url.searchParams.get('replace') ?? '').split(',').filter(Boolean));
  let data = existing ? mergeRecord(existing.data, body, def.sublists, replace) : body;
  if (mode === 'create') {
    const missing = def.missing(data);
    if (missing.length) return reply(ctx.res, missingFields(missing));
  }
  data = computeDerived(type, data);
  const broken = def.rule?.(data);
  if (broken)
    return reply(
      ctx.res,
      nsError(400, { detail: `Error while accessing a resource. ${broken.detail}`, 'o:errorCode': 'USER_ERROR', 'o:errorPath': broken.path }),
    );

  const { store } = ctx.kit;
  const externalId = typeof data.externalId === 'string' ? data.externalId : undefined;
  if (externalId !== undefined) {
    const clash = store.find(ctx.account, type, (r) => r.data.externalId === externalId && r.id !== existing?.id);
    if (clash)
      return reply(
        ctx.res,
        nsError(400, {
          detail: `Error while accessing a resource. This record already exists (external ID ${externalId}).`,
          'o:errorCode': 'USER_ERROR',
          'o:errorPath': 'externalId',
        }),
      );
  }
  const nowIso = new Date(ctx.kit.now()).toISOString();
  let id: string;
  if (existing) {
    id = existing.id;
    store.replace(ctx.account, type, id, { ...data, lastModifiedDate: nowIso });
  } else {
    id = String(store.nextSequence(ctx.account, 'internalId', 101));
    if (def.tranPrefix && data.tranId === undefined) data.tranId = `${def.tranPrefix}${store.nextSequence(ctx.account, `tranId:${type}`, 1001)}`;
    if (def.tranPrefix && data.tranDate === undefined) data.tranDate = nowIso.slice(0, 10);
    if (type === 'salesOrder' && data.orderStatus === undefined) data.orderStatus = 'B';
    store.insert(ctx.account, type, id, { ...data, createdDate: nowIso, lastModifiedDate: nowIso });
  }
  ctx.res.send(204, undefined, { Location: `${ctx.req.origin}${RECORD_PREFIX}/${type}/${id}` });
}

function typeErrors(error: z.ZodError, body: RecordData): VendorReply {
  return nsError(
    400,
    error.issues.map((issue) => {
      const path = errorPath(issue.path);
      const value = issue.path.reduce<unknown>(
        (acc, seg) => (acc && typeof acc === 'object' ? (acc as Record<PropertyKey, unknown>)[seg as PropertyKey] : undefined),
        body,
      );
      return {
        detail: `Error while accessing a resource. You have entered an Invalid Field Value ${JSON.stringify(value) ?? 'undefined'} for the following field: ${path}. ${issue.message}`,
        'o:errorCode': 'INVALID_CONTENT',
        'o:errorPath': path,
      };
    }),
  );
}

function present(ctx: Ctx, type: NetSuiteRecordType, rec: StoredRecord, expand: boolean): RecordData {
  const self = `${ctx.req.origin}${RECORD_PREFIX}/${type}/${rec.id}`;
  const out: RecordData = { links: [{ rel: 'self', href: self }], id: rec.id };
  for (const [k, v] of Object.entries(rec.data)) {
    if (!RECORD_TYPES[type].sublists.includes(k)) out[k] = v;
    else out[k] = expand ? sublistBody(`${self}/${k}`, v) : { links: [{ rel: 'self', href: `${self}/${k}` }] };
  }
  return out;
}

function getSublist(ctx: Ctx, type: NetSuiteRecordType, rec: StoredRecord, name: string): void {
  if (!RECORD_TYPES[type].sublists.includes(name)) {
    return reply(ctx.res, nsError(404, { detail: `Sublist '${name}' does not exist on record type '${type}'.`, 'o:errorCode': 'NONEXISTENT_FIELD' }));
  }
  ctx.res.send(200, sublistBody(`${ctx.req.origin}${RECORD_PREFIX}/${type}/${rec.id}/${name}`, rec.data[name]));
}

function sublistBody(href: string, value: unknown): RecordData {
  const items = isPlainObject(value) && Array.isArray(value.items) ? (value.items as RecordData[]) : [];
  return {
    links: [{ rel: 'self', href }],
    items: items.map((l) => ({ links: [], ...l })),
    totalResults: items.length,
    count: items.length,
    hasMore: false,
    offset: 0,
  };
}

function methodNotAllowed(method: string): VendorReply {
  return nsError(405, { detail: `The HTTP method ${method} is not supported for this resource.`, 'o:errorCode': 'INVALID_METHOD' });
}

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
