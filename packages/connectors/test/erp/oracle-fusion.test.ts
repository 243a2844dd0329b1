import { generateInvoices, sampleOverlay } from '@switchyard/canonical';
import type { Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testConnection } from '../../src/erp/test-connection';
import { ctxWith, demoConnections, executors, loopbackFetch, nodeError, startEstate } from './support';

let estate: Estate;
const outbound = loopbackFetch();
const fa = executors(outbound)['oracle-fusion.record'];
const POD = 'acme-fa-test';

beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await outbound.close();
  await estate.close();
});
beforeEach(() => estate.reset());

const payables = (number: string, amount = 120) => ({
  InvoiceNumber: number,
  InvoiceCurrency: 'USD',
  InvoiceAmount: amount,
  InvoiceDate: '2026-11-02',
  BusinessUnit: 'US1 Business Unit',
  Supplier: 'Lee Supplies',
  SupplierSite: 'Lee US1',
  Description: 'Toner',
  invoiceLines: [{ LineNumber: 1, LineAmount: amount }],
});

describe('oracle-fusion.record', () => {
  it.each(['oracle-fusion', 'oracle-fusion-oauth'])('upserts a payables invoice once by invoice number (%s)', async (connectionId) => {
    const ctx = ctxWith(demoConnections(estate));
    const config = { connectionId, operation: 'upsert', recordType: 'invoices', externalIdPath: 'InvoiceNumber' };
    const first = await fa(ctx, config, payables('AP-1'));
    const again = await fa(ctx, config, payables('AP-1'));
    const changed = await fa(ctx, config, { ...payables('AP-1'), Description: 'Toner and paper' });
    expect(first.output).toMatchObject({ created: true, externalId: 'AP-1', record: { ValidationStatus: 'Validated', SupplierNumber: '1252' } });
    expect(again.output).toMatchObject({ created: false, id: (first.output as { id: string }).id });
    expect(changed.output).toMatchObject({ created: false, record: { Description: 'Toner and paper' } });
    expect(estate.oracleFusion.records('invoices', POD)).toHaveLength(1);
  });

  it('maps a canonical invoice to a receivables invoice and never duplicates it when answers are lost', async () => {
    const [invoice] = generateInvoices(1, { seed: 3 });
    estate.oracleFusion.setFaults({ account: POD, lostResponseRate: 0.5, seed: 4 });
    const ctx = ctxWith(demoConnections(estate));
    const config = { connectionId: 'oracle-fusion', operation: 'upsert', recordType: 'receivablesInvoices', externalIdPath: 'number', mapping: { object: 'invoice', overlay: { ...sampleOverlay('oracle-fusion'), fieldOverrides: { DueDate: '' } } } };
    let done = false;
    for (let attempt = 0; attempt < 10 && !done; attempt++) {
      done = await fa(ctx, config, invoice).then(
        () => true,
        (err: { retryable?: boolean }) => {
          expect(err.retryable).toBe(true);
          return false;
        },
      );
    }
    expect(done).toBe(true);
    const stored = estate.oracleFusion.records('receivablesInvoices', POD);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.data).toMatchObject({ TransactionNumber: invoice?.number, TransactionSource: 'Switchyard', BusinessUnit: 'US1 Business Unit' });
  });

  it('classifies errors: validation is permanent with the attribute path, throttling retryable with Retry-After, a wrong password auth_failed', async () => {
    const connections = demoConnections(estate);
    const ctx = ctxWith(connections);
    const bad = await nodeError(fa(ctx, { connectionId: 'oracle-fusion', operation: 'create', recordType: 'invoices' }, { ...payables('AP-2'), Supplier: 'Nobody Inc' }));
    expect(bad).toMatchObject({ retryable: false, status: 400, code: 'rejected' });
    expect(bad.message).toContain("The value of the attribute Supplier isn't valid: Nobody Inc. (Supplier) [AP-811282]");
    estate.oracleFusion.setFaults({ account: POD, rate429: 1, retryAfterSeconds: 9 });
    const throttled = await nodeError(fa(ctx, { connectionId: 'oracle-fusion', operation: 'query', recordType: 'suppliers' }, {}));
    expect(throttled).toMatchObject({ retryable: true, code: 'rate_limited', retryAfterMs: 9000 });
    estate.oracleFusion.clearFaults();
    const planted = 'planted-password-81be';
    connections['oracle-fusion'] = { ...connections['oracle-fusion']!, credentials: { username: 'integration.user@acme.example', password: planted } };
    const refused = await nodeError(fa(ctxWith(connections), { connectionId: 'oracle-fusion', operation: 'query', recordType: 'suppliers' }, {}));
    expect(refused).toMatchObject({ code: 'auth_failed', retryable: false });
    expect(refused.message).not.toContain(planted);
  });

  it('queries with q and pages with offset/limit until hasMore is false', async () => {
    const ctx = ctxWith(demoConnections(estate));
    for (let i = 1; i <= 5; i++) await fa(ctx, { connectionId: 'oracle-fusion', operation: 'create', recordType: 'invoices' }, payables(`AP-${i}`, i * 100));
    const all = await fa(ctx, { connectionId: 'oracle-fusion', operation: 'query', recordType: 'invoices', pageSize: 2 }, {});
    expect(all.output).toMatchObject({ count: 5, pages: 3, truncated: false });
    const some = await fa(ctx, { connectionId: 'oracle-fusion', operation: 'query', recordType: 'invoices', filter: '"InvoiceAmount >= 300"' }, {});
    expect(some.output).toMatchObject({ count: 3 });
    const byObject = await fa(ctx, { connectionId: 'oracle-fusion', operation: 'query', recordType: 'suppliers', filter: '{"Supplier": "Lee Supplies"}' }, {});
    expect(byObject.output).toMatchObject({ count: 1 });
    const got = await fa(ctx, { connectionId: 'oracle-fusion', operation: 'get', recordType: 'invoices', externalIdPath: '"AP-3"' }, {});
    expect(got.output).toMatchObject({ record: { InvoiceAmount: 300, invoiceLines: [{ LineAmount: 300 }] } });
  });

  it('tests a connection: accepted, refused, incomplete', async () => {
    const c = demoConnections(estate)['oracle-fusion']!;
    const ok = await testConnection({ ...c }, { fetch: outbound });
    expect(ok).toMatchObject({ ok: true, outcome: 'ok' });
    const refused = await testConnection({ ...c, credentials: { username: 'integration.user@acme.example', password: 'wrong' } }, { fetch: outbound });
    expect(refused.outcome).toBe('auth_failed');
    const incomplete = await testConnection({ ...c, config: { authMethod: 'oauth2' }, credentials: {} }, { fetch: outbound });
    expect(incomplete.outcome).toBe('invalid');
    expect(incomplete.message).toContain('config.tokenUrl');
    expect(incomplete.message).toContain('credentials.clientId');
  });
});
