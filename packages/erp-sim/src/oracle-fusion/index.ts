import { BearerTokens, basicAuth, clientCredentials, formBody, secretEquals } from '../core/bearer-tokens';
import { header, isPlainObject, parseJsonBody, type SimRequest, type SimResponse } from '../core/http-server';
import type { RecordData, RecordStore, StoredRecord } from '../core/record-store';
import { startSim, type CommonSimOptions, type FaultShapes, type SimHandle, type SimKit, type VendorReply } from '../core/sim-kit';
import { DEMO_ESTATE } from '../demo-estate';
import { ORACLE_FUSION_REFERENCE } from '../reference-data';
import { fusionError } from './errors';
import { matches, parseQ } from './query';
import { FUSION_RESOURCE_NAMES, FUSION_RESOURCES, nextKey, validationDetails, type FusionResource, type FusionResourceName } from './resources';

export interface OracleFusionInstanceConfig {
  /** The Fusion pod; records, faults and credentials belong to it. */
  instance: string;
  /** Integration users for HTTP Basic. */
  users: Array<{ username: string; password: string }>;
  /** Confidential applications in the identity domain (client-credentials grant). */
  clients: Array<{ clientId: string; clientSecret: string }>;
  /** Suppliers present on the pod (restored on reset); payables invoices must name one of them. */
  suppliers?: Array<{ Supplier: string; SupplierNumber: string; [field: string]: unknown }>;
}

export interface OracleFusionSimOptions extends CommonSimOptions {
  instances?: OracleFusionInstanceConfig[];
  accessTokenTtlSeconds?: number;
}

export const FUSION_REST_PREFIX = '/fscmRestApi/resources';
export const FUSION_API_VERSIONS = ['11.13.18.05', 'latest'] as const;
export const FUSION_TOKEN_PATH = '/oauth2/v1/token';
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

const faultShapes: FaultShapes = {
  throttled: () => fusionError(undefined, 429, [{ detail: 'Too many requests. The request was throttled; retry after the interval in Retry-After.' }]),
  serverError: () => fusionError(undefined, 503, [{ detail: 'The service is temporarily unavailable. Try again later.' }]),
};

function seedSuppliers(store: RecordStore, instances: OracleFusionInstanceConfig[], only?: string): void {
  for (const inst of instances) {
    if (only !== undefined && inst.instance !== only) continue;
    for (const s of inst.suppliers ?? []) {
      const id = String(nextKey(store, inst.instance));
      store.insert(inst.instance, 'suppliers', id, { Status: 'ACTIVE', BusinessRelationship: 'SPEND_AUTHORIZED', ...s });
    }
  }
}

interface FusionCtx {
  req: SimRequest;
  res: SimResponse;
  kit: SimKit;
  account: string;
  resource: FusionResource;
  /** `http://host:port/fscmRestApi/resources/11.13.18.05/invoices` as addressed. */
  collectionUrl: string;
}

/**
 * Oracle Fusion Cloud ERP REST (`/fscmRestApi/resources/{version}/…`): payables `invoices`,
 * `receivablesInvoices`, `journalBatches` and `suppliers`, with HTTP Basic for integration users or
 * OAuth 2.0 client credentials from the identity domain (`/oauth2/v1/token`), Fusion's paging
 * (`offset`/`limit`/`hasMore`/`totalResults`), `q` filters, `expand`, `fields`, `onlyData`, and
 * errors as text or `application/vnd.oracle.adf.error+json` by `REST-Framework-Version`.
 */
export async function startOracleFusionSim(opts: OracleFusionSimOptions = {}): Promise<SimHandle> {
  const instances: OracleFusionInstanceConfig[] =
    opts.instances ??
    DEMO_ESTATE.oracleFusion.instances.map((i) => ({
      instance: i.instance,
      users: i.users.map((u) => ({ ...u })),
      clients: i.clients.map((c) => ({ ...c })),
      suppliers: i.suppliers.map((s) => ({ ...s })),
    }));
  const tokens = new BearerTokens(opts.clock ?? Date.now, 'fa.');

  const token = (req: SimRequest, res: SimResponse): void => {
    const form = formBody(req);
    if (req.method !== 'POST' || !form) return res.send(400, { error: 'invalid_request', error_description: 'POST an application/x-www-form-urlencoded body' });
    const { clientId, clientSecret } = clientCredentials(req, form);
    const owner = instances.find((i) => i.clients.some((c) => c.clientId === clientId && secretEquals(clientSecret, c.clientSecret)));
    if (!owner) return res.send(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    if (form.get('grant_type') !== 'client_credentials')
      return res.send(400, { error: 'unsupported_grant_type', error_description: `grant_type ${form.get('grant_type') ?? ''} is not allowed for this client` });
    const issued = tokens.issue(owner.instance, clientId as string, opts.accessTokenTtlSeconds ?? 3600);
    res.send(200, { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresInSeconds });
  };

  /** The pod the caller authenticated to, or the 401 already sent. */
  const authenticate = (req: SimRequest, res: SimResponse): string | undefined => {
    const challenge = { 'WWW-Authenticate': 'Basic realm="Oracle Fusion Applications"' };
    const basic = basicAuth(req);
    if (basic) {
      const owner = instances.find((i) => i.users.some((u) => u.username === basic.user && secretEquals(basic.password, u.password)));
      if (owner) return owner.instance;
      res.send(401, undefined, challenge);
      return undefined;
    }
    const bearer = tokens.check(req);
    if (bearer.ok) return bearer.grant.account;
    res.send(401, undefined, bearer.reason === 'missing' ? challenge : { 'WWW-Authenticate': `Bearer error="invalid_token"` });
    return undefined;
  };

  return startSim({
    name: 'oracle-fusion',
    options: opts,
    onReset: (account, store) => seedSuppliers(store, instances, account),
    async handle(req, res, kit) {
      const path = req.url.pathname;
      if (path === FUSION_TOKEN_PATH) return token(req, res);
      const m = /^\/fscmRestApi\/resources\/([^/]+)\/([^/]+)(?:\/([^/]+))?(\/.*)?$/.exec(path);
      if (!m) return reply(res, fusionError(req, 404, [{ detail: `The requested URL ${path} was not found on this server.` }]));
      const account = authenticate(req, res);
      if (account === undefined) return;
      const [, version, resourceName, id, extra] = m as unknown as [string, string, string, string | undefined, string | undefined];
      if (!(FUSION_API_VERSIONS as readonly string[]).includes(version))
        return reply(res, fusionError(req, 404, [{ detail: `The version ${version} is not a supported REST API version. Use one of ${FUSION_API_VERSIONS.join(', ')}.` }]));
      const reference = ORACLE_FUSION_REFERENCE[resourceName];
      if (reference && id === undefined && extra === undefined) {
        if (!(await kit.gate(account, res, faultShapes))) return;
        if (req.method !== 'GET') return reply(res, fusionError(req, 405, [{ detail: `The method ${req.method} is not allowed on ${resourceName}.` }]));
        return listReference(req, res, resourceName, reference);
      }
      if (!(FUSION_RESOURCE_NAMES as readonly string[]).includes(resourceName) || extra !== undefined)
        return reply(res, fusionError(req, 404, [{ detail: `The resource ${resourceName}${extra ?? ''} does not exist.` }]));
      if (!(await kit.gate(account, res, faultShapes))) return;
      const ctx: FusionCtx = {
        req,
        res,
        kit,
        account,
        resource: FUSION_RESOURCES[resourceName as FusionResourceName],
        collectionUrl: `${req.origin}${FUSION_REST_PREFIX}/${version}/${resourceName}`,
      };
      if (id === undefined) {
        if (req.method === 'GET') return list(ctx);
        if (req.method === 'POST') return create(ctx);
      } else {
        const found = /^\d+$/.test(id) ? kit.store.get(account, resourceName, id) : undefined;
        if (!found) return reply(res, fusionError(req, 404, [{ detail: `The requested resource ${resourceName}/${id} was not found.` }]));
        if (req.method === 'GET') return res.send(200, present(ctx, found, expandOf(req)), itemHeaders());
        if (req.method === 'PATCH') return patch(ctx, found);
      }
      reply(res, fusionError(req, 405, [{ detail: `The method ${req.method} is not allowed on ${resourceName}${id === undefined ? '' : ' items'}.` }]));
    },
  });
}

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);
const itemHeaders = () => ({ 'Content-Type': 'application/vnd.oracle.adf.resourceitem+json' });

function expandOf(req: SimRequest): Set<string> | 'all' {
  const e = req.url.searchParams.get('expand');
  if (e === null) return new Set();
  return e === 'all' ? 'all' : new Set(e.split(',').map((s) => s.trim()));
}

function present(ctx: FusionCtx, r: StoredRecord, expand: Set<string> | 'all', onlyData = false, fields?: string[]): RecordData {
  const self = `${ctx.collectionUrl}/${r.id}`;
  const out: RecordData = { [ctx.resource.idField]: Number(r.id) };
  for (const [k, v] of Object.entries(r.data)) {
    if (ctx.resource.children.includes(k) && expand !== 'all' && !expand.has(k)) continue;
    out[k] = v;
  }
  const picked = fields ? Object.fromEntries(Object.entries(out).filter(([k]) => fields.includes(k))) : out;
  if (onlyData) return picked;
  return {
    ...picked,
    links: [
      { rel: 'self', href: self, name: ctx.resource.name, kind: 'item' },
      { rel: 'canonical', href: self, name: ctx.resource.name, kind: 'item' },
      ...ctx.resource.children.map((c) => ({ rel: 'child', href: `${self}/child/${c}`, name: c, kind: 'collection' })),
    ],
  };
}

function list(ctx: FusionCtx): void {
  const p = ctx.req.url.searchParams;
  const bad = (detail: string) => reply(ctx.res, fusionError(ctx.req, 400, [{ detail, 'o:errorCode': 'ADF-REST-PARAM' }]));
  const limit = p.has('limit') ? Number(p.get('limit')) : DEFAULT_LIMIT;
  const offset = p.has('offset') ? Number(p.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return bad(`URL request parameter limit with value ${p.get('limit') ?? ''} is not valid: use an integer from 1 to ${MAX_LIMIT}.`);
  if (!Number.isInteger(offset) || offset < 0) return bad(`URL request parameter offset with value ${p.get('offset') ?? ''} is not valid.`);
  let rows = ctx.kit.store.list(ctx.account, ctx.resource.name);
  const q = p.get('q');
  if (q !== null && q.trim() !== '') {
    const attributes = new Set([ctx.resource.idField, ...rows.flatMap((r) => Object.keys(r.data)), ...Object.keys(shapeOf(ctx.resource))]);
    const parsed = parseQ(q, attributes);
    if (!parsed.ok) return bad(parsed.message);
    rows = rows.filter((r) => matches({ ...r.data, [ctx.resource.idField]: Number(r.id) }, parsed.conditions));
  }
  const orderBy = p.get('orderBy');
  if (orderBy) {
    const [attr, dir] = orderBy.split(':') as [string, string | undefined];
    const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
    const val = (r: StoredRecord) => (attr === ctx.resource.idField ? Number(r.id) : r.data[attr]);
    rows.sort((a, b) => sign * String(val(a) ?? '').localeCompare(String(val(b) ?? ''), undefined, { numeric: true }));
  }
  const page = rows.slice(offset, offset + limit);
  const fields = p.get('fields')?.split(',').map((f) => f.trim());
  const onlyData = p.get('onlyData') === 'true';
  const body: RecordData = {
    items: page.map((r) => present(ctx, r, expandOf(ctx.req), onlyData, fields)),
    ...(p.get('totalResults') === 'true' ? { totalResults: rows.length } : {}),
    count: page.length,
    hasMore: offset + page.length < rows.length,
    limit,
    offset,
    links: [{ rel: 'self', href: ctx.req.url.toString().replace(/^https?:\/\/[^/]+/, ctx.req.origin), name: ctx.resource.name, kind: 'collection' }],
  };
  ctx.res.send(200, body, { 'Content-Type': 'application/vnd.oracle.adf.resourcecollection+json' });
}

/** A read-only list-of-values collection, paged like every Fusion collection (`offset`/`limit`/`hasMore`). */
function listReference(req: SimRequest, res: SimResponse, name: string, rows: Array<Record<string, string | number>>): void {
  const p = req.url.searchParams;
  const limit = p.has('limit') ? Number(p.get('limit')) : DEFAULT_LIMIT;
  const offset = p.has('offset') ? Number(p.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || !Number.isInteger(offset) || offset < 0)
    return reply(res, fusionError(req, 400, [{ detail: `URL request parameters limit ${p.get('limit') ?? ''} / offset ${p.get('offset') ?? ''} are not valid: limit is an integer from 1 to ${MAX_LIMIT}, offset 0 or more.`, 'o:errorCode': 'ADF-REST-PARAM' }]));
  const page = rows.slice(offset, offset + limit);
  const body: RecordData = {
    items: page.map((r) => ({ ...r })),
    ...(p.get('totalResults') === 'true' ? { totalResults: rows.length } : {}),
    count: page.length,
    hasMore: offset + page.length < rows.length,
    limit,
    offset,
    links: [{ rel: 'self', href: `${req.origin}${req.url.pathname}`, name, kind: 'collection' }],
  };
  res.send(200, body, { 'Content-Type': 'application/vnd.oracle.adf.resourcecollection+json' });
}

function shapeOf(resource: FusionResource): Record<string, unknown> {
  const schema = resource.createSchema as unknown as { shape?: Record<string, unknown> };
  return schema.shape ?? {};
}

function readJson(ctx: FusionCtx): RecordData | undefined {
  const type = (header(ctx.req, 'content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json') && !type.startsWith('application/vnd.oracle.adf.resourceitem+json')) {
    reply(ctx.res, fusionError(ctx.req, 415, [{ detail: `The media type ${type || '(none)'} is not supported. Use application/vnd.oracle.adf.resourceitem+json.` }]));
    return undefined;
  }
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok || !isPlainObject(parsed.value)) {
    reply(ctx.res, fusionError(ctx.req, 400, [{ detail: `The request body is not a valid JSON object${parsed.ok ? '' : `: ${parsed.message}`}.`, 'o:errorCode': 'ADF-REST-JSON' }]));
    return undefined;
  }
  return parsed.value;
}

function duplicate(ctx: FusionCtx, row: RecordData, exceptId?: string): VendorReply | undefined {
  for (const u of ctx.resource.unique) {
    if (u.fields.some((f) => row[f] === undefined)) continue;
    const clash = ctx.kit.store.find(ctx.account, ctx.resource.name, (r) => r.id !== exceptId && u.fields.every((f) => r.data[f] === row[f]));
    if (clash) return fusionError(ctx.req, 400, [{ detail: u.message(row), 'o:errorCode': u.code, 'o:errorPath': u.fields[0] as string }]);
  }
  return undefined;
}

function create(ctx: FusionCtx): void {
  const body = readJson(ctx);
  if (!body) return;
  const parsed = ctx.resource.createSchema.safeParse(body);
  if (!parsed.success) return reply(ctx.res, fusionError(ctx.req, 400, validationDetails(parsed.error)));
  const done = ctx.resource.complete(parsed.data, { store: ctx.kit.store, account: ctx.account, now: ctx.kit.now() });
  if ('errors' in done) return reply(ctx.res, fusionError(ctx.req, 400, done.errors));
  const row = { ...parsed.data, ...done.extra };
  const clash = duplicate(ctx, row);
  if (clash) return reply(ctx.res, clash);
  const id = String(nextKey(ctx.kit.store, ctx.account));
  const created = ctx.kit.store.insert(ctx.account, ctx.resource.name, id, row);
  ctx.res.send(201, present(ctx, created, 'all'), { ...itemHeaders(), Location: `${ctx.collectionUrl}/${id}` });
}

function patch(ctx: FusionCtx, found: StoredRecord): void {
  const body = readJson(ctx);
  if (!body) return;
  const refused = Object.keys(body).filter((k) => !ctx.resource.patchable.includes(k));
  if (refused.length) {
    return reply(
      ctx.res,
      fusionError(
        ctx.req,
        400,
        refused.map((k) => ({ detail: `The attribute ${k} can't be updated. Updatable attributes: ${ctx.resource.patchable.join(', ')}.`, 'o:errorCode': 'ADF-REST-UPD', 'o:errorPath': k })),
      ),
    );
  }
  const next = { ...found.data, ...body };
  const check = ctx.resource.createSchema.safeParse(Object.fromEntries(Object.entries(next).filter(([k]) => k in shapeOf(ctx.resource))));
  if (!check.success) return reply(ctx.res, fusionError(ctx.req, 400, validationDetails(check.error)));
  const clash = duplicate(ctx, next, found.id);
  if (clash) return reply(ctx.res, clash);
  const updated = ctx.kit.store.replace(ctx.account, ctx.resource.name, found.id, next) as StoredRecord;
  ctx.res.send(200, present(ctx, updated, 'all'), itemHeaders());
}
