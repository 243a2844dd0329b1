import { header, isPlainObject, parseJsonBody, type SimRequest, type SimResponse } from '../core/http-server';
import { filterAndSort, nextLink, page, readODataQuery, selectProps } from '../core/odata-query';
import type { RecordData, StoredRecord } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';
import { sapError, sapErrors } from './errors';
import { metadataXml, SAP_SETS, type ItemSetDef, type SapSetDef } from './services';
import { coerceBody, isBlank, toFilterRow, toWire } from './values';

export interface V2Ctx {
  req: SimRequest;
  res: SimResponse;
  kit: SimKit;
  account: string;
  user: string;
  service: string;
  /** `http://host:port/sap/opu/odata/sap/API_…_SRV` as the client addressed it. */
  root: string;
  pageSize: number;
}

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);
const MODIFYING = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);
export const isModifying = (method: string): boolean => MODIFYING.has(method);

/** Resource path below the service root: service document, `$metadata`, entity sets, entities, `to_Item`. */
export function handleV2(ctx: V2Ctx, rest: string): void {
  const { req, res, service } = ctx;
  if (rest === '' || rest === '/')
    return res.send(200, { d: { EntitySets: SAP_SETS.filter((s) => s.service === service).flatMap((s) => [s.set, s.items.set]) } });
  if (rest === '/$metadata') return res.send(200, metadataXml(service), { 'Content-Type': 'application/xml; charset=utf-8' });
  if (rest === '/$batch') return reply(res, sapErrors.badRequest(service, '$batch requests are not supported by this simulator; send single requests.'));
  const m = /^\/([A-Za-z_]+)(?:\(([^)]*)\))?(?:\/([A-Za-z_]+))?$/.exec(decodeURIComponent(rest));
  if (!m) return reply(res, sapErrors.notFound(service, rest.slice(1)));
  const [, setName, keyText, nav] = m as unknown as [string, string, string | undefined, string | undefined];
  const def = SAP_SETS.find((s) => s.service === service && s.set === setName);
  const itemDef = SAP_SETS.find((s) => s.service === service && s.items.set === setName);
  if (itemDef) return itemSet(ctx, itemDef, keyText, nav);
  if (!def) return reply(res, sapErrors.notFound(service, setName));
  if (keyText === undefined) {
    if (nav) return reply(res, sapErrors.notFound(service, nav));
    if (req.method === 'GET') return listHeaders(ctx, def);
    if (req.method === 'POST' && def.creatable !== false) return createHeader(ctx, def);
    return reply(res, sapErrors.methodNotAllowed(service, req.method, setName));
  }
  const key = /^(?:\w+=)?'([^']*)'$/.exec(keyText)?.[1];
  const rec = key === undefined ? undefined : ctx.kit.store.get(ctx.account, def.set, key);
  if (!rec) return reply(res, sapErrors.notFound(service, `${setName}(${keyText})`));
  if (nav !== undefined) {
    if (nav !== def.items.nav) return reply(res, sapErrors.notFound(service, nav));
    if (req.method === 'GET') return res.send(200, { d: { results: items(rec, def).map((i) => presentItem(ctx, def, i)) } });
    if (req.method === 'POST' && def.updatable) return addItem(ctx, def, rec);
    return reply(res, sapErrors.methodNotAllowed(service, req.method, `${setName}/${nav}`));
  }
  if (req.method === 'GET')
    return res.send(200, { d: presentHeader(ctx, def, rec, req.url.searchParams.get('$expand') === def.items.nav) }, { ETag: etag(rec) });
  const allowed = (def.updatable && ['PATCH', 'MERGE', 'PUT'].includes(req.method)) || (def.deletable && req.method === 'DELETE');
  if (!allowed) return reply(res, sapErrors.methodNotAllowed(service, req.method, setName));
  const ifMatch = header(req, 'if-match');
  if (!ifMatch) return reply(res, sapErrors.preconditionRequired(service));
  if (ifMatch !== '*' && ifMatch !== etag(rec)) return reply(res, sapErrors.preconditionFailed(service));
  if (req.method === 'DELETE') {
    ctx.kit.store.delete(ctx.account, def.set, rec.id);
    return res.send(204);
  }
  updateHeader(ctx, def, rec);
}

/** Weak ETag from the last change timestamp (with the version folded into its 7-digit fraction). */
function etag(rec: StoredRecord): string {
  const iso = new Date(rec.updatedAt).toISOString().replace('Z', `${String(rec.version % 10000).padStart(4, '0')}Z`);
  return `W/"datetimeoffset'${encodeURIComponent(iso)}'"`;
}

function items(rec: StoredRecord, def: SapSetDef): RecordData[] {
  const list = rec.data[def.items.nav];
  return Array.isArray(list) ? (list as RecordData[]) : [];
}

function entityUri(ctx: V2Ctx, def: SapSetDef, key: string): string {
  return `${ctx.root}/${def.set}('${encodeURIComponent(key)}')`;
}

function presentHeader(ctx: V2Ctx, def: SapSetDef, rec: StoredRecord, expand: boolean): RecordData {
  const uri = entityUri(ctx, def, rec.id);
  return {
    __metadata: { id: uri, uri, type: `${ctx.service}.${def.type}`, etag: etag(rec) },
    ...toWire(def.fields, rec.data),
    [def.items.nav]: expand ? { results: items(rec, def).map((i) => presentItem(ctx, def, i)) } : { __deferred: { uri: `${uri}/${def.items.nav}` } },
  };
}

function presentItem(ctx: V2Ctx, def: SapSetDef, item: RecordData): RecordData {
  const uri = `${ctx.root}/${def.items.set}(${def.key}='${String(item[def.key])}',${def.items.key}='${String(item[def.items.key])}')`;
  return { __metadata: { id: uri, uri, type: `${ctx.service}.${def.items.type}` }, ...toWire(def.items.fields, item) };
}

function listHeaders(ctx: V2Ctx, def: SapSetDef): void {
  const params = ctx.req.url.searchParams;
  const parsed = readODataQuery(params, { isKnown: (p) => p in def.fields, expandable: [def.items.nav], typeSuffix: `on type '${ctx.service}.${def.type}'` });
  if (!parsed.ok) return reply(ctx.res, sapErrors.badRequest(ctx.service, parsed.message, parsed.property));
  const q = parsed.query;
  const records = ctx.kit.store.list(ctx.account, def.set);
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows = filterAndSort(
    records.map((r) => ({ ...toFilterRow(def.fields, r.data), __id: r.id })),
    q,
  );
  const { rows: pageRows, next } = page(rows, q, ctx.pageSize);
  const d: RecordData = {};
  if (q.count) d.__count = String(rows.length);
  d.results = pageRows.map((r) =>
    selectProps(presentHeader(ctx, def, byId.get(String(r.__id)) as StoredRecord, q.expand.includes(def.items.nav)), q.select, q.expand),
  );
  if (next) d.__next = nextLink(`${ctx.root}/${def.set}`, params, next);
  ctx.res.send(200, { d });
}

function itemSet(ctx: V2Ctx, def: SapSetDef, keyText: string | undefined, nav: string | undefined): void {
  const { req, res, service } = ctx;
  if (req.method !== 'GET' || nav) return reply(res, sapErrors.methodNotAllowed(service, req.method, def.items.set));
  const all = ctx.kit.store.list(ctx.account, def.set).flatMap((r) => items(r, def));
  if (keyText !== undefined) {
    const keys = Object.fromEntries([...keyText.matchAll(/(\w+)='([^']*)'/g)].map((k) => [k[1], k[2]]));
    const found = all.find((i) => i[def.key] === keys[def.key] && i[def.items.key] === keys[def.items.key]);
    return found ? res.send(200, { d: presentItem(ctx, def, found) }) : reply(res, sapErrors.notFound(service, `${def.items.set}(${keyText})`));
  }
  const parsed = readODataQuery(req.url.searchParams, {
    isKnown: (p) => p in def.items.fields,
    expandable: [],
    typeSuffix: `on type '${service}.${def.items.type}'`,
  });
  if (!parsed.ok) return reply(res, sapErrors.badRequest(service, parsed.message, parsed.property));
  const rows = filterAndSort(all, parsed.query);
  const { rows: pageRows, next } = page(rows, parsed.query, ctx.pageSize);
  const d: RecordData = { results: pageRows.map((i) => selectProps(presentItem(ctx, def, i), parsed.query.select, [])) };
  if (parsed.query.count) d.__count = String(rows.length);
  if (next) d.__next = nextLink(`${ctx.root}/${def.items.set}`, req.url.searchParams, next);
  res.send(200, { d });
}

type Built = { ok: true; items: RecordData[] } | { ok: false; reply: VendorReply };

/** Validates deep-insert items, numbers them and fills amounts the way pricing would. */
function buildItems(ctx: V2Ctx, def: SapSetDef, raw: unknown[], parentKey: string, start: number): Built {
  const out: RecordData[] = [];
  let n = start;
  for (const [index, entry] of raw.entries()) {
    if (!isPlainObject(entry)) return { ok: false, reply: sapErrors.invalidValue(ctx.service, `${def.items.nav}[${index}]`, entry) };
    const pricing = def.items.pricing;
    const c = coerceBody(entry, def.items.fields, [def.key, def.items.key], pricing?.nav);
    if (!c.ok)
      return {
        ok: false,
        reply:
          c.reason === 'unknown'
            ? sapErrors.unknownProperty(ctx.service, c.property, def.items.type)
            : sapErrors.invalidValue(ctx.service, `${def.items.nav}[${index}]/${c.property}`, c.value),
      };
    const elements: RecordData[] = [];
    for (const [e, raw] of (pricing && c.items ? c.items : []).entries()) {
      const where = `${def.items.nav}[${index}]/${pricing?.nav}[${e}]`;
      if (!isPlainObject(raw) || !pricing) return { ok: false, reply: sapErrors.invalidValue(ctx.service, where, raw) };
      const el = coerceBody(raw, pricing.fields, []);
      if (!el.ok)
        return {
          ok: false,
          reply: el.reason === 'unknown' ? sapErrors.unknownProperty(ctx.service, `${where}/${el.property}`, 'A_SalesOrderItemPrcgElmntType') : sapErrors.invalidValue(ctx.service, `${where}/${el.property}`, el.value),
        };
      const missingEl = pricing.required.filter((f) => isBlank(el.data[f]));
      if (missingEl.length) return { ok: false, reply: sapErrors.missingFields(ctx.service, missingEl.map((f) => `${where}/${f}`)) };
      elements.push(el.data);
    }
    const missing = def.items.required.filter((f) => isBlank(c.data[f]));
    if (missing.length)
      return {
        ok: false,
        reply: sapErrors.missingFields(
          ctx.service,
          missing.map((f) => `${def.items.nav}[${index}]/${f}`),
        ),
      };
    const item: RecordData = { ...c.data, [def.key]: parentKey, [def.items.key]: (def.items as ItemSetDef).keyFormat(n++) };
    // A manual PR00 condition is the item's price, as pricing would take it.
    const price = elements.find((el) => el.ConditionType === 'PR00');
    if (price && item.NetPriceAmount === undefined) {
      item.NetPriceAmount = price.ConditionRateValue;
      if (price.ConditionQuantity !== undefined) item.NetPriceQuantity = price.ConditionQuantity;
    }
    if (elements.length) item[pricing?.nav as string] = elements;
    if (item.NetAmount === undefined && item.NetPriceAmount !== undefined) {
      const per = Number(item.NetPriceQuantity ?? 1) || 1;
      item.NetAmount = ((Number(item.NetPriceAmount) * Number(item.RequestedQuantity ?? 1)) / per).toFixed(2);
    }
    if (def.balanced) item.DebitCreditCode = Number(item.AmountInTransactionCurrency) >= 0 ? 'S' : 'H';
    out.push(item);
  }
  return { ok: true, items: out };
}

function totals(def: SapSetDef, data: RecordData): void {
  if (def.balanced) return;
  const list = Array.isArray(data[def.items.nav]) ? (data[def.items.nav] as RecordData[]) : [];
  data.TotalNetAmount = list.reduce((s, i) => s + (Number(i.NetAmount) || 0), 0).toFixed(2);
  if ('TotalTaxAmount' in def.fields) data.TotalTaxAmount = list.reduce((s, i) => s + (Number(i.TaxAmount) || 0), 0).toFixed(2);
}

function createHeader(ctx: V2Ctx, def: SapSetDef): void {
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok || !isPlainObject(parsed.value))
    return reply(ctx.res, sapErrors.badRequest(ctx.service, `The request body is not a valid JSON object${parsed.ok ? '' : `: ${parsed.message}`}`));
  const c = coerceBody(parsed.value, def.fields, def.computed, def.items.nav);
  if (!c.ok)
    return reply(
      ctx.res,
      c.reason === 'unknown' ? sapErrors.unknownProperty(ctx.service, c.property, def.type) : sapErrors.invalidValue(ctx.service, c.property, c.value),
    );
  const missing = def.required.filter((f) => isBlank(c.data[f]));
  const minItems = def.balanced ? 2 : def.updatable ? 0 : 1;
  if ((c.items?.length ?? 0) < minItems) missing.push(def.items.nav);
  if (missing.length) return reply(ctx.res, sapErrors.missingFields(ctx.service, missing));
  const built = buildItems(ctx, def, c.items ?? [], '', 1);
  if (!built.ok) return reply(ctx.res, built.reply);
  if (def.balanced && built.items.reduce((s, i) => s + Math.round(Number(i.AmountInTransactionCurrency) * 100), 0) !== 0) {
    return reply(
      ctx.res,
      sapError(400, ctx.service, 'F5/702', 'Balance in transaction currency', [
        { code: 'F5/702', message: 'The journal entry items do not balance to zero', propertyref: 'AmountInTransactionCurrency' },
      ]),
    );
  }
  // Numbers are drawn only for documents that are saved, so rejected requests leave no gaps.
  const { store } = ctx.kit;
  const key = String(store.nextSequence(ctx.account, def.set, def.numberStart));
  for (const item of built.items) item[def.key] = key;
  const now = ctx.kit.now();
  const data: RecordData = { ...c.data, [def.key]: key, [def.items.nav]: built.items, LastChangeDateTime: now };
  if ('CreationDate' in def.fields) data.CreationDate = Date.parse(new Date(now).toISOString().slice(0, 10));
  if ('CreatedByUser' in def.fields) data.CreatedByUser = ctx.user;
  if (def.set === 'A_SalesOrder') Object.assign(data, { OverallSDProcessStatus: 'A', OverallTotalDeliveryStatus: '' });
  if (def.set === 'A_BillingDocument')
    Object.assign(data, { SDDocumentCategory: 'M', OverallBillingStatus: 'C', BillingDocumentIsCancelled: false, AccountingDocument: key });
  if (def.set === 'A_JournalEntry')
    Object.assign(data, {
      FiscalYear: new Date(Number(data.PostingDate)).getUTCFullYear().toString(),
      AccountingDocumentType: data.AccountingDocumentType ?? 'SA',
    });
  totals(def, data);
  const rec = store.insert(ctx.account, def.set, key, data);
  ctx.res.send(201, { d: presentHeader(ctx, def, rec, true) }, { Location: entityUri(ctx, def, key), ETag: etag(rec) });
}

function updateHeader(ctx: V2Ctx, def: SapSetDef, rec: StoredRecord): void {
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok || !isPlainObject(parsed.value)) return reply(ctx.res, sapErrors.badRequest(ctx.service, 'The request body is not a valid JSON object'));
  const c = coerceBody(parsed.value, def.fields, [...def.computed, def.key]);
  if (!c.ok)
    return reply(
      ctx.res,
      c.reason === 'unknown' ? sapErrors.unknownProperty(ctx.service, c.property, def.type) : sapErrors.invalidValue(ctx.service, c.property, c.value),
    );
  const data: RecordData = { ...rec.data, ...c.data, LastChangeDateTime: ctx.kit.now() };
  const cleared = def.required.filter((f) => isBlank(data[f]));
  if (cleared.length) return reply(ctx.res, sapErrors.missingFields(ctx.service, cleared));
  const saved = ctx.kit.store.replace(ctx.account, def.set, rec.id, data) as StoredRecord;
  ctx.res.send(204, undefined, { ETag: etag(saved) });
}

function addItem(ctx: V2Ctx, def: SapSetDef, rec: StoredRecord): void {
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok || !isPlainObject(parsed.value)) return reply(ctx.res, sapErrors.badRequest(ctx.service, 'The request body is not a valid JSON object'));
  const existing = items(rec, def);
  const built = buildItems(ctx, def, [parsed.value], rec.id, existing.length + 1);
  if (!built.ok) return reply(ctx.res, built.reply);
  const data: RecordData = { ...rec.data, [def.items.nav]: [...existing, ...built.items], LastChangeDateTime: ctx.kit.now() };
  totals(def, data);
  ctx.kit.store.replace(ctx.account, def.set, rec.id, data);
  const item = built.items[0] as RecordData;
  const body = presentItem(ctx, def, item);
  ctx.res.send(201, { d: body }, { Location: String((body.__metadata as { uri: string }).uri) });
}
