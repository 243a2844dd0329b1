import { WORKDAY_REFERENCE } from '../reference-data';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isPlainObject, parseJsonBody, valueAt, type SimRequest, type SimResponse } from '../core/http-server';
import type { RecordData, StoredRecord } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';

export interface WdCtx {
  req: SimRequest;
  res: SimResponse;
  kit: SimKit;
  tenant: string;
  /** `http://host:port/ccx/api/v1/{tenant}` and `…/financialManagement/v1/{tenant}` as addressed. */
  commonRoot: string;
  financialRoot: string;
}

export interface WdFieldError {
  error: string;
  field: string;
  location: string;
}

/** Workday REST error body: `{ error, errors: [{ error, field, location }] }`. */
export function wdError(status: number, error: string, errors: WdFieldError[] = []): VendorReply {
  return { status, body: errors.length ? { error, errors } : { error } };
}

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);
export const newWid = (): string => randomBytes(16).toString('hex');

const ref = z.object({ id: z.string().min(1) });
const amount = z.number().finite().nonnegative();
const costAllocationSchema = z.object({
  effectiveDate: z.iso.date(),
  endDate: z.iso.date().optional(),
  costingAllocationDetails: z.array(z.object({ costCenter: ref, percent: z.number().gt(0).max(100) })).min(1),
});
const journalSchema = z.object({
  externalReferenceId: z.string().min(1).optional(),
  journalNumber: z.string().min(1).optional(),
  company: ref,
  accountingDate: z.iso.date(),
  currency: ref,
  journalSource: ref.optional(),
  memo: z.string().optional(),
  journalEntryLines: z
    .array(
      z.object({
        ledgerAccount: ref,
        debitAmount: amount.optional(),
        creditAmount: amount.optional(),
        memo: z.string().optional(),
        worktags: z.array(ref).optional(),
      }),
    )
    .min(2),
});

/** Zod issues → Workday's errors array, each naming the field and its JSON location. */
function validation(error: z.ZodError, body: unknown): VendorReply {
  return wdError(
    400,
    'Validation error occurred. See errors for details.',
    error.issues.map((i) => {
      const path = i.path.map(String);
      const location = `body${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
      const missing = valueAt(body, i.path) === undefined;
      return {
        error: missing ? `Required field is missing: ${path.join('.')}` : `${path.join('.')}: ${i.message}`,
        field: path[path.length - 1] ?? '(body)',
        location,
      };
    }),
  );
}

function readBody<T>(ctx: WdCtx, schema: z.ZodType<T>): T | undefined {
  const parsed = parseJsonBody(ctx.req);
  if (!parsed.ok || !isPlainObject(parsed.value)) {
    reply(
      ctx.res,
      wdError(400, `Invalid request body: ${parsed.ok ? 'expected a JSON object' : parsed.message}`, [
        { error: 'Malformed JSON', field: '(body)', location: 'body' },
      ]),
    );
    return undefined;
  }
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    reply(ctx.res, validation(result.error, parsed.value));
    return undefined;
  }
  return result.data;
}

/** `limit` (1–100, default 20) and `offset`, as Workday's REST collections take them. */
function paging(ctx: WdCtx): { limit: number; offset: number } | undefined {
  const p = ctx.req.url.searchParams;
  const limit = p.has('limit') ? Number(p.get('limit')) : 20;
  const offset = p.has('offset') ? Number(p.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    reply(ctx.res, wdError(400, 'Invalid request', [{ error: 'limit must be an integer from 1 to 100', field: 'limit', location: 'query.limit' }]));
    return undefined;
  }
  if (!Number.isInteger(offset) || offset < 0) {
    reply(ctx.res, wdError(400, 'Invalid request', [{ error: 'offset must be a non-negative integer', field: 'offset', location: 'query.offset' }]));
    return undefined;
  }
  return { limit, offset };
}

function collection(ctx: WdCtx, rows: RecordData[]): void {
  const pg = paging(ctx);
  if (pg) ctx.res.send(200, { total: rows.length, data: rows.slice(pg.offset, pg.offset + pg.limit) });
}

const notFound = (what: string, id: string): VendorReply =>
  wdError(404, 'Resource not found', [{ error: `${what} '${id}' was not found.`, field: 'ID', location: 'path.ID' }]);

function presentWorker(ctx: WdCtx, r: StoredRecord): RecordData {
  return { id: r.id, descriptor: r.data.descriptor, href: `${ctx.commonRoot}/workers/${r.id}`, ...r.data };
}

/** `/workers[/{ID}[/costAllocations]]` under `/ccx/api/v1/{tenant}`. */
export function handleCommon(ctx: WdCtx, rest: string[]): void {
  const [resource, id, sub, extra] = rest;
  const m = ctx.req.method;
  if (resource !== 'workers' || extra !== undefined)
    return reply(ctx.res, wdError(404, 'Resource not found', [{ error: `No resource at /${rest.join('/')}`, field: 'path', location: 'path' }]));
  const { store } = ctx.kit;
  if (id === undefined) {
    if (m !== 'GET') return reply(ctx.res, wdError(405, `Method ${m} is not allowed on workers`));
    const search = ctx.req.url.searchParams.get('search')?.toLowerCase();
    const rows = store.list(ctx.tenant, 'workers').filter(
      (w) =>
        !search ||
        String(w.data.descriptor ?? '')
          .toLowerCase()
          .includes(search) ||
        w.id === search,
    );
    return collection(
      ctx,
      rows.map((w) => presentWorker(ctx, w)),
    );
  }
  const worker = store.get(ctx.tenant, 'workers', id);
  if (!worker) return reply(ctx.res, notFound('Worker', id));
  if (sub === undefined)
    return m === 'GET' ? ctx.res.send(200, presentWorker(ctx, worker)) : reply(ctx.res, wdError(405, `Method ${m} is not allowed on a worker`));
  if (sub !== 'costAllocations')
    return reply(ctx.res, wdError(404, 'Resource not found', [{ error: `No sub-resource '${sub}' on workers`, field: 'path', location: 'path' }]));
  const mine = store.list(ctx.tenant, 'costAllocations').filter((a) => a.data.worker && (a.data.worker as { id: string }).id === id);
  if (m === 'GET')
    return collection(
      ctx,
      mine.map((a) => ({ id: a.id, ...a.data })),
    );
  if (m !== 'POST') return reply(ctx.res, wdError(405, `Method ${m} is not allowed on costAllocations`));
  const body = readBody(ctx, costAllocationSchema);
  if (!body) return;
  const total = body.costingAllocationDetails.reduce((s, d) => s + d.percent, 0);
  if (Math.abs(total - 100) > 1e-9) {
    return reply(
      ctx.res,
      wdError(400, 'Validation error occurred. See errors for details.', [
        { error: `Costing allocation percentages must total 100; they total ${total}.`, field: 'percent', location: 'body.costingAllocationDetails' },
      ]),
    );
  }
  // Costing allocations are effective-dated: assigning again for the same date replaces that version.
  const data: RecordData = { ...body, worker: { id, descriptor: worker.data.descriptor } };
  const same = mine.find((a) => a.data.effectiveDate === body.effectiveDate);
  if (same) {
    store.replace(ctx.tenant, 'costAllocations', same.id, data);
    return ctx.res.send(200, { id: same.id, ...data });
  }
  const created = store.insert(ctx.tenant, 'costAllocations', newWid(), data);
  ctx.res.send(201, { id: created.id, ...data });
}

/** `/accountingJournals[/{ID}]` under `/ccx/api/financialManagement/v1/{tenant}`. */
export function handleFinancial(ctx: WdCtx, rest: string[]): void {
  const [resource, id, extra] = rest;
  const m = ctx.req.method;
  // Reference data (companies, ledger accounts, tax codes, payment terms): read-only collections.
  const reference = resource !== undefined ? WORKDAY_REFERENCE[resource] : undefined;
  if (reference && id === undefined) {
    if (m !== 'GET') return reply(ctx.res, wdError(405, `Method ${m} is not allowed on ${resource}`));
    return ctx.res.send(200, { total: reference.length, data: reference.map((r) => ({ ...r, href: `${ctx.financialRoot}/${resource}/${r.id}` })) });
  }
  if (resource !== 'accountingJournals' || extra !== undefined)
    return reply(ctx.res, wdError(404, 'Resource not found', [{ error: `No resource at /${rest.join('/')}`, field: 'path', location: 'path' }]));
  const { store } = ctx.kit;
  const present = (r: StoredRecord): RecordData => ({
    id: r.id,
    descriptor: r.data.journalNumber,
    href: `${ctx.financialRoot}/accountingJournals/${r.id}`,
    ...r.data,
  });
  if (id !== undefined) {
    const found = store.get(ctx.tenant, 'accountingJournals', id);
    if (!found) return reply(ctx.res, notFound('Accounting journal', id));
    return m === 'GET' ? ctx.res.send(200, present(found)) : reply(ctx.res, wdError(405, `Method ${m} is not allowed on an accounting journal`));
  }
  if (m === 'GET') {
    const ext = ctx.req.url.searchParams.get('externalReferenceId');
    return collection(
      ctx,
      store
        .list(ctx.tenant, 'accountingJournals')
        .filter((j) => ext === null || j.data.externalReferenceId === ext)
        .map(present),
    );
  }
  if (m !== 'POST') return reply(ctx.res, wdError(405, `Method ${m} is not allowed on accountingJournals`));
  const body = readBody(ctx, journalSchema);
  if (!body) return;
  const errors: WdFieldError[] = [];
  body.journalEntryLines.forEach((l, i) => {
    if ((l.debitAmount ?? 0) > 0 === (l.creditAmount ?? 0) > 0)
      errors.push({ error: 'Each line needs either a debit amount or a credit amount.', field: 'debitAmount', location: `body.journalEntryLines[${i}]` });
  });
  const cents = (key: 'debitAmount' | 'creditAmount') => body.journalEntryLines.reduce((s, l) => s + Math.round((l[key] ?? 0) * 100), 0);
  if (!errors.length && cents('debitAmount') !== cents('creditAmount')) {
    errors.push({
      error: `Journal is out of balance: debits ${(cents('debitAmount') / 100).toFixed(2)} and credits ${(cents('creditAmount') / 100).toFixed(2)} must be equal.`,
      field: 'journalEntryLines',
      location: 'body.journalEntryLines',
    });
  }
  const ext = body.externalReferenceId;
  if (ext !== undefined && store.find(ctx.tenant, 'accountingJournals', (j) => j.data.externalReferenceId === ext)) {
    errors.push({
      error: `An accounting journal with external reference ID '${ext}' already exists.`,
      field: 'externalReferenceId',
      location: 'body.externalReferenceId',
    });
  }
  if (errors.length) return reply(ctx.res, wdError(400, 'Validation error occurred. See errors for details.', errors));
  const journalNumber = body.journalNumber ?? `JE-${store.nextSequence(ctx.tenant, 'journalNumber', 10001)}`;
  const created = store.insert(ctx.tenant, 'accountingJournals', newWid(), {
    ...body,
    journalNumber,
    status: 'Posted',
    totalDebitAmount: cents('debitAmount') / 100,
    totalCreditAmount: cents('creditAmount') / 100,
  });
  ctx.res.send(201, present(created), { Location: `${ctx.financialRoot}/accountingJournals/${created.id}` });
}
