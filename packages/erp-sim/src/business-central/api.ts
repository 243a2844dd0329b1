import { randomUUID } from 'node:crypto';
import { header, parseJsonBody, type SimRequest, type SimResponse } from '../core/http-server';
import { BUSINESS_CENTRAL_REFERENCE } from '../reference-data';
import { filterAndSort, nextLink, page, readODataQuery, selectProps } from '../core/odata-query';
import type { RecordData, StoredRecord } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';
import { applyTotals, buildLines, checkBody, etag, linkCustomer, missingRequired, presentEntity, round2 } from './documents';
import { ENTITIES, type EntityDef } from './entities';
import { bcError, bcErrors } from './errors';

export interface BcCompany {
  id: string;
  name: string;
}

export interface ApiCtx {
  req: SimRequest;
  res: SimResponse;
  kit: SimKit;
  account: string;
  companies: BcCompany[];
  /** Service root as the client addressed it, e.g. `http://127.0.0.1:5000/v2.0/{tenant}/production/api/v2.0`. */
  root: string;
  maxPageSize: number;
}

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);

interface Segment {
  name: string;
  key?: string;
}

function parseSegment(raw: string): Segment | undefined {
  const m = /^([A-Za-z][\w.]*)(?:\((.*)\))?$/.exec(raw);
  if (!m) return undefined;
  const key = m[2]?.replace(/^id=/, '').replace(/^'(.*)'$/, '$1');
  return key === undefined ? { name: m[1] as string } : { name: m[1] as string, key };
}

/** Everything under the service root: `companies`, `companies({id})/{set}[({id})[/{nav}|/Microsoft.NAV.{action}]]`. */
export function handleApi(ctx: ApiCtx, rest: string): void {
  const raw = rest
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  const segs = raw.map(parseSegment);
  const [company, set, sub, extra] = segs;
  if (!company || company.name !== 'companies' || segs.some((s) => !s) || extra)
    return reply(ctx.res, bcErrors.noSuchSegment(raw.find((_, i) => !segs[i]) ?? raw[0] ?? ''));
  const m = ctx.req.method;
  if (company.key === undefined) {
    if (m !== 'GET') return reply(ctx.res, bcErrors.methodNotAllowed(m));
    return ctx.res.send(200, { '@odata.context': `${ctx.root}/$metadata#companies`, value: ctx.companies.map(presentCompany) });
  }
  const found = ctx.companies.find((c) => c.id.toLowerCase() === (company.key as string).toLowerCase());
  if (!found) return reply(ctx.res, bcErrors.notFound(`company with id '${company.key}'`));
  if (!set)
    return m === 'GET'
      ? ctx.res.send(200, { '@odata.context': `${ctx.root}/$metadata#companies/$entity`, ...presentCompany(found) })
      : reply(ctx.res, bcErrors.methodNotAllowed(m));
  // Reference data (chart of accounts, tax groups, currencies, payment terms) is read-only here.
  const reference = BUSINESS_CENTRAL_REFERENCE[set.name];
  if (reference && set.key === undefined && !sub) {
    if (m !== 'GET') return reply(ctx.res, bcErrors.methodNotAllowed(m));
    return ctx.res.send(200, { '@odata.context': `${ctx.root}/$metadata#companies(${found.id})/${set.name}`, value: reference });
  }
  const def = ENTITIES[set.name];
  if (!def) return reply(ctx.res, bcErrors.noSuchSegment(set.name));
  const setUrl = `${ctx.root}/companies(${found.id})/${def.set}`;
  const c = { ...ctx, companyId: found.id, def, setUrl };
  if (set.key === undefined) {
    if (sub) return reply(ctx.res, bcErrors.noSuchSegment((sub as Segment).name));
    if (m === 'GET') return listEntities(c);
    if (m === 'POST' && !def.readOnlySet) return createEntity(c);
    return reply(ctx.res, bcErrors.methodNotAllowed(m));
  }
  const rec = ctx.kit.store.get(ctx.account, def.set, set.key.toLowerCase());
  if (!rec || rec.scope !== found.id) return reply(ctx.res, bcErrors.notFound(`${def.entityType} with id '${set.key}'`));
  if (sub) {
    const action = /^Microsoft\.NAV\.(\w+)$/.exec(sub.name)?.[1];
    if (action && def.actions?.includes(action) && m === 'POST') return runAction(c, rec, action);
    if (def.lines && sub.name === def.lines.nav && sub.key === undefined)
      return m === 'GET' ? listLines(c, rec) : m === 'POST' ? addLines(c, rec) : reply(ctx.res, bcErrors.methodNotAllowed(m));
    return reply(ctx.res, bcErrors.noSuchSegment(sub.name));
  }
  if (m === 'GET') return sendEntity(c, 200, rec);
  if (def.readOnlySet) return reply(ctx.res, bcErrors.methodNotAllowed(m));
  if (m !== 'PATCH' && m !== 'DELETE') return reply(ctx.res, bcErrors.methodNotAllowed(m));
  // BC requires optimistic concurrency on every change: If-Match with the entity's ETag (or *).
  const ifMatch = header(ctx.req, 'if-match');
  if (!ifMatch) return reply(ctx.res, bcErrors.missingIfMatch());
  if (ifMatch.trim() !== '*' && ifMatch.trim() !== etag(rec.id, rec.version)) return reply(ctx.res, bcErrors.etagMismatch(def.entityType));
  if (m === 'DELETE') {
    ctx.kit.store.delete(ctx.account, def.set, rec.id);
    return ctx.res.send(204);
  }
  return updateEntity(c, rec);
}

type EntityCtx = ApiCtx & { companyId: string; def: EntityDef; setUrl: string };

function presentCompany(c: BcCompany): RecordData {
  return { id: c.id, systemVersion: '24.0.16410.18040', timestamp: 1, name: c.name, displayName: c.name, businessProfileId: '' };
}

function sendEntity(c: EntityCtx, status: number, rec: StoredRecord): void {
  const tag = etag(rec.id, rec.version);
  const expand = c.def.lines && c.req.url.searchParams.get('$expand') === c.def.lines.nav ? c.def.lines.nav : undefined;
  const body = {
    '@odata.context': `${c.root}/$metadata#companies(${c.companyId})/${c.def.set}/$entity`,
    ...presentEntity(c.def, rec.id, rec.data, tag, expand, c.def.lines),
  };
  const headers: Record<string, string> = { ETag: tag };
  if (status === 201) headers.Location = `${c.setUrl}(${rec.id})`;
  c.res.send(status, body, headers);
}

function listEntities(c: EntityCtx): void {
  const params = c.req.url.searchParams;
  const parsed = readODataQuery(params, {
    isKnown: (p) => p in c.def.fields,
    expandable: c.def.lines ? [c.def.lines.nav] : [],
    typeSuffix: `on type 'Microsoft.NAV.${c.def.entityType}'`,
  });
  if (!parsed.ok) return reply(c.res, bcErrors.badQuery(parsed.message));
  const q = parsed.query;
  const records = c.kit.store.list(c.account, c.def.set, c.companyId);
  const rows = records.map((r) => presentEntity(c.def, r.id, r.data, etag(r.id, r.version), q.expand[0], c.def.lines));
  const filtered = filterAndSort(rows, q);
  const pageSize = Math.min(c.maxPageSize, preferredPageSize(c.req) ?? Number.POSITIVE_INFINITY);
  const { rows: pageRows, next } = page(filtered, q, pageSize);
  const body: RecordData = { '@odata.context': `${c.root}/$metadata#companies(${c.companyId})/${c.def.set}` };
  if (q.count) body['@odata.count'] = filtered.length;
  body.value = pageRows.map((r) => selectProps(r, q.select, q.expand));
  if (next) body['@odata.nextLink'] = nextLink(c.setUrl, params, next);
  const headers: Record<string, string> = {};
  if (preferredPageSize(c.req) !== undefined) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;
  c.res.send(200, body, headers);
}

function preferredPageSize(req: SimRequest): number | undefined {
  const m = /odata\.maxpagesize=(\d+)/i.exec(header(req, 'prefer') ?? '');
  return m ? Math.max(1, Number(m[1])) : undefined;
}

function createEntity(c: EntityCtx): void {
  const parsed = parseJsonBody(c.req);
  if (!parsed.ok) return reply(c.res, bcErrors.badJson(parsed.message));
  const checked = checkBody(parsed.value, c.def.fields, c.def.readOnly, c.def.entityType, c.def.lines?.nav);
  if (!checked.ok) return reply(c.res, checked.reply);
  const data = checked.data;
  const missing = missingRequired(c.def, data);
  if (missing) return reply(c.res, missing);
  if (c.def.customerLink) {
    const broken = linkCustomer(c.kit.store, c.account, c.companyId, data);
    if (broken) return reply(c.res, broken);
  }
  const { store } = c.kit;
  if (c.def.numbering && (data[c.def.numbering.property] === undefined || data[c.def.numbering.property] === '')) {
    const n = c.def.numbering;
    data[n.property] = `${n.prefix}${store.nextSequence(`${c.account}/${c.companyId}`, `${c.def.set}.${n.property}`, n.start)}`;
  }
  const clash = uniqueClash(c, data);
  if (clash) return reply(c.res, clash);
  const id = randomUUID();
  if (c.def.lines) {
    const built = buildLines(c.def.lines, checked.lines ?? [], id, 10000);
    if (!built.ok) return reply(c.res, built.reply);
    data[c.def.lines.nav] = built.lines;
  }
  if (c.def.set === 'salesOrders' || c.def.set === 'salesInvoices' || c.def.set === 'purchaseInvoices') data.status = 'Draft';
  if (c.def.set === 'salesOrders') data.orderDate ??= today(c);
  if (c.def.set === 'salesInvoices') data.invoiceDate ??= today(c);
  applyTotals(c.def, data);
  data.lastModifiedDateTime = new Date(c.kit.now()).toISOString();
  sendEntity(c, 201, store.insert(c.account, c.def.set, id, data, c.companyId));
}

function updateEntity(c: EntityCtx, rec: StoredRecord): void {
  const parsed = parseJsonBody(c.req);
  if (!parsed.ok) return reply(c.res, bcErrors.badJson(parsed.message));
  const checked = checkBody(parsed.value, c.def.fields, c.def.readOnly, c.def.entityType);
  if (!checked.ok) return reply(c.res, checked.reply);
  const data: RecordData = { ...rec.data, ...checked.data };
  if (c.def.customerLink && ('customerId' in checked.data || 'customerNumber' in checked.data)) {
    if (!('customerId' in checked.data)) delete data.customerId;
    if (!('customerNumber' in checked.data)) delete data.customerNumber;
    const broken = linkCustomer(c.kit.store, c.account, c.companyId, data);
    if (broken) return reply(c.res, broken);
  }
  const clash = uniqueClash(c, data, rec.id);
  if (clash) return reply(c.res, clash);
  applyTotals(c.def, data);
  data.lastModifiedDateTime = new Date(c.kit.now()).toISOString();
  sendEntity(c, 200, c.kit.store.replace(c.account, c.def.set, rec.id, data) as StoredRecord);
}

function uniqueClash(c: EntityCtx, data: RecordData, selfId?: string): VendorReply | undefined {
  const prop = c.def.unique;
  if (!prop || data[prop] === undefined) return undefined;
  const dup = c.kit.store.find(c.account, c.def.set, (r) => r.id !== selfId && r.data[prop] === data[prop], c.companyId);
  return dup ? bcErrors.alreadyExists(c.def.entityType, prop, data[prop]) : undefined;
}

function listLines(c: EntityCtx, rec: StoredRecord): void {
  const lineDef = c.def.lines as NonNullable<EntityDef['lines']>;
  const lines = Array.isArray(rec.data[lineDef.nav]) ? (rec.data[lineDef.nav] as RecordData[]) : [];
  const tag = etag(rec.id, rec.version);
  c.res.send(200, {
    '@odata.context': `${c.root}/$metadata#companies(${c.companyId})/${c.def.set}(${rec.id})/${lineDef.nav}`,
    value: lines.map((l) => presentEntity(lineDef, String(l.id), l, tag)),
  });
}

function addLines(c: EntityCtx, rec: StoredRecord): void {
  const lineDef = c.def.lines as NonNullable<EntityDef['lines']>;
  const parsed = parseJsonBody(c.req);
  if (!parsed.ok) return reply(c.res, bcErrors.badJson(parsed.message));
  const existing = Array.isArray(rec.data[lineDef.nav]) ? (rec.data[lineDef.nav] as RecordData[]) : [];
  const built = buildLines(lineDef, [parsed.value as RecordData], rec.id, (existing.length + 1) * 10000);
  if (!built.ok) return reply(c.res, built.reply);
  const data: RecordData = { ...rec.data, [lineDef.nav]: [...existing, ...built.lines] };
  applyTotals(c.def, data);
  data.lastModifiedDateTime = new Date(c.kit.now()).toISOString();
  const saved = c.kit.store.replace(c.account, c.def.set, rec.id, data) as StoredRecord;
  const line = built.lines[0] as RecordData;
  c.res.send(201, {
    '@odata.context': `${c.root}/$metadata#companies(${c.companyId})/${c.def.set}(${rec.id})/${lineDef.nav}/$entity`,
    ...presentEntity(lineDef, String(line.id), line, etag(saved.id, saved.version)),
  });
}

/** Bound actions: posting a sales invoice, posting a general journal into G/L entries. */
function runAction(c: EntityCtx, rec: StoredRecord, action: string): void {
  const { store } = c.kit;
  const stamp = new Date(c.kit.now()).toISOString();
  if (c.def.set === 'salesInvoices' && action === 'post') {
    if (rec.data.status !== 'Draft')
      return reply(c.res, bcError(400, 'Application_DialogException', `Sales invoice ${String(rec.data.number)} has already been posted.`));
    store.replace(c.account, c.def.set, rec.id, {
      ...rec.data,
      status: 'Open',
      remainingAmount: rec.data.totalAmountIncludingTax ?? 0,
      postingDate: rec.data.postingDate ?? stamp.slice(0, 10),
      lastModifiedDateTime: stamp,
    });
    return c.res.send(204);
  }
  const lines = Array.isArray(rec.data.journalLines) ? (rec.data.journalLines as RecordData[]) : [];
  if (lines.length === 0) return reply(c.res, bcError(400, 'Application_DialogException', `There is nothing to post in journal ${String(rec.data.code)}.`));
  if (!rec.data.balancingAccountNumber) {
    const byDocument = new Map<string, number>();
    for (const l of lines) byDocument.set(String(l.documentNumber ?? ''), (byDocument.get(String(l.documentNumber ?? '')) ?? 0) + (Number(l.amount) || 0));
    for (const [doc, sum] of byDocument) {
      if (round2(sum) !== 0)
        return reply(
          c.res,
          bcError(
            400,
            'Application_DialogException',
            `Document No. ${doc} is out of balance by ${round2(sum).toFixed(2)}. Please check that Posting Date, Document Type, Document No. and Amount are correct for each line.`,
          ),
        );
    }
  }
  const entries: RecordData[] = lines.flatMap((l) => {
    const amount = Number(l.amount) || 0;
    const entry = (accountNumber: unknown, signed: number): RecordData => ({
      postingDate: l.postingDate ?? stamp.slice(0, 10),
      documentNumber: l.documentNumber ?? '',
      documentType: '',
      accountId: l.accountId,
      accountNumber,
      description: l.description ?? '',
      debitAmount: signed > 0 ? signed : 0,
      creditAmount: signed < 0 ? -signed : 0,
      lastModifiedDateTime: stamp,
    });
    return rec.data.balancingAccountNumber
      ? [entry(l.accountNumber, amount), entry(rec.data.balancingAccountNumber, -amount)]
      : [entry(l.accountNumber, amount)];
  });
  for (const e of entries)
    store.insert(
      c.account,
      'generalLedgerEntries',
      randomUUID(),
      { ...e, entryNumber: store.nextSequence(`${c.account}/${c.companyId}`, 'glEntry', 1) },
      c.companyId,
    );
  store.replace(c.account, c.def.set, rec.id, { ...rec.data, journalLines: [], lastModifiedDateTime: stamp });
  c.res.send(204);
}

function today(c: ApiCtx): string {
  return new Date(c.kit.now()).toISOString().slice(0, 10);
}
