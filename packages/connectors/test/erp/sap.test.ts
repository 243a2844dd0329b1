import { DEMO_ESTATE, startSapSim, type SimHandle } from '@switchyard/erp-sim';
import type { ResolvedConnection } from '@switchyard/workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sapClientFor } from '../../src/erp/sap/executor';
import { countingFetch, ctxWith, deps, executors, loopbackFetch, nodeError } from './support';

const system = DEMO_ESTATE.sap.systems[0];
let sim: SimHandle;
const outbound = loopbackFetch();

function connections(overrides: Partial<ResolvedConnection> = {}): Record<string, ResolvedConnection> {
  return {
    sap: { id: '00000000-0000-4000-8000-00000000005a', name: 'sap', kind: 'sap', baseUrl: sim.url, config: { authMethod: 'basic' }, credentials: { ...system.users[0] }, ...overrides },
    'sap-oauth': {
      id: '00000000-0000-4000-8000-00000000005b',
      name: 'sap-oauth',
      kind: 'sap',
      baseUrl: sim.url,
      config: { authMethod: 'oauth2' },
      credentials: { ...system.oauthClients[0] },
    },
  };
}

const billing = (reference: string) => ({
  BillingDocumentType: 'F2',
  SalesOrganization: '1710',
  DistributionChannel: '10',
  Division: '00',
  SoldToParty: '17100001',
  TransactionCurrency: 'USD',
  DocumentReferenceID: reference,
  to_Item: [{ Material: 'TG11', BillingQuantity: '2', NetAmount: '100.00' }],
});

beforeAll(async () => {
  sim = await startSapSim({ pageSize: 2 });
});
afterAll(async () => {
  await outbound.close();
  await sim.close();
});
beforeEach(() => sim.reset());

describe('sap.record', () => {
  it('creates through the CSRF handshake and upserts by reference without a second document', async () => {
    const sap = executors(outbound)['sap.record'];
    const ctx = ctxWith(connections());
    const config = { connectionId: 'sap', operation: 'upsert', recordType: 'A_BillingDocument', externalIdPath: 'DocumentReferenceID' };
    const first = await sap(ctx, config, billing('INV-1'));
    const again = await sap(ctx, config, billing('INV-1'));
    expect(first.output).toMatchObject({ created: true, externalId: 'INV-1', record: { TotalNetAmount: '100.00', to_Item: [{ Material: 'TG11', BillingDocumentItem: '10' }] } });
    expect(again.output).toMatchObject({ created: false, id: (first.output as { id: string }).id });
    expect(sim.records('A_BillingDocument')).toHaveLength(1);
  });

  it('fetches a new CSRF token and retries once when SAP says the token is stale', async () => {
    const counting = countingFetch(outbound);
    const d = deps(counting.fetch);
    const c = connections().sap!;
    const client = sapClientFor(d, { baseUrl: sim.url, config: c.config, credentials: c.credentials }, AbortSignal.timeout(5000));
    await client.create('A_SalesOrder', { SalesOrderType: 'OR', SalesOrganization: '1710', DistributionChannel: '10', OrganizationDivision: '00', SoldToParty: '1' });
    const [key, session] = [...d.sessions.entries()].find(([k]) => k.startsWith('sap-csrf|')) as [string, { token: string; cookie: string }];
    d.sessions.set(key, { ...session, token: 'stale-token-value' });
    await client.create('A_SalesOrder', { SalesOrderType: 'OR', SalesOrganization: '1710', DistributionChannel: '10', OrganizationDivision: '00', SoldToParty: '2' });
    expect(sim.records('A_SalesOrder')).toHaveLength(2);
    // One handshake for the first write, one more after the stale answer; none in between.
    expect(counting.paths.filter((p) => p.endsWith('/API_SALES_ORDER_SRV/'))).toHaveLength(2);
  });

  it('updates a sales order with its ETag and deletes it; billing documents stay as posted', async () => {
    const sap = executors(outbound)['sap.record'];
    const ctx = ctxWith(connections());
    const order = { SalesOrderType: 'OR', SalesOrganization: '1710', DistributionChannel: '10', OrganizationDivision: '00', SoldToParty: '1', to_Item: [{ Material: 'M', RequestedQuantity: '1' }] };
    const config = { connectionId: 'sap', operation: 'upsert', recordType: 'A_SalesOrder', externalIdPath: '"PO-1"' };
    await sap(ctx, config, order);
    const changed = await sap(ctx, config, { ...order, DeliveryBlockReason: '01' });
    expect(changed.output).toMatchObject({ created: false, record: { DeliveryBlockReason: '01', PurchaseOrderByCustomer: 'PO-1' } });
    expect(sim.records('A_SalesOrder')).toHaveLength(1);
    const deleted = await sap(ctx, { connectionId: 'sap', operation: 'delete', recordType: 'A_SalesOrder', externalIdPath: '"PO-1"' }, {});
    expect(deleted.output).toMatchObject({ deleted: true });
    const refused = await nodeError(sap(ctx, { connectionId: 'sap', operation: 'delete', recordType: 'A_BillingDocument', idPath: '"1"' }, {}));
    expect(refused).toMatchObject({ code: 'unsupported', retryable: false });
  });

  it('authenticates with OAuth 2.0 client credentials too', async () => {
    const sap = executors(outbound)['sap.record'];
    const result = await sap(ctxWith(connections()), { connectionId: 'sap-oauth', operation: 'create', recordType: 'A_BillingDocument' }, billing('INV-2'));
    expect(result.output).toMatchObject({ created: true, record: { DocumentReferenceID: 'INV-2' } });
  });

  it("keeps SAP's error code, message and property; wrong passwords are permanent and not repeated", async () => {
    const sap = executors(outbound)['sap.record'];
    const bad = await nodeError(sap(ctxWith(connections()), { connectionId: 'sap', operation: 'create', recordType: 'A_BillingDocument' }, { ...billing('X'), Bogus: 1 }));
    expect(bad).toMatchObject({ retryable: false, status: 400 });
    expect(bad.message).toContain("/IWBEP/CM_MGW_RT/021: Property 'Bogus' is invalid for entity type 'A_BillingDocumentType'");
    const planted = 'planted-sap-password-77aa';
    const denied = await nodeError(
      sap(ctxWith(connections({ credentials: { username: 'DEMO_COMM_USER', password: planted } })), { connectionId: 'sap', operation: 'get', recordType: 'A_SalesOrder', idPath: '"1"' }, {}),
    );
    expect(denied).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    expect(denied.message).toContain('Logon Error Message');
    expect(denied.message).not.toContain(planted);
  });

  it('follows __next pages and classifies throttling as retryable', async () => {
    const sap = executors(outbound)['sap.record'];
    const ctx = ctxWith(connections());
    for (let i = 1; i <= 5; i++) await sap(ctx, { connectionId: 'sap', operation: 'create', recordType: 'A_BillingDocument' }, billing(`R-${i}`));
    const all = await sap(ctx, { connectionId: 'sap', operation: 'query', recordType: 'A_BillingDocument' }, {});
    expect(all.output).toMatchObject({ count: 5, pages: 3, truncated: false });
    const one = await sap(ctx, { connectionId: 'sap', operation: 'query', recordType: 'A_BillingDocument', filter: '"DocumentReferenceID eq \'R-3\'"' }, {});
    expect(one.output).toMatchObject({ count: 1, records: [{ DocumentReferenceID: 'R-3' }] });
    sim.setFaults({ account: system.systemId, rate429: 1, retryAfterSeconds: 2 });
    const throttled = await nodeError(sap(ctx, { connectionId: 'sap', operation: 'query', recordType: 'A_BillingDocument' }, {}));
    expect(throttled).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });
  });

  describe('journal entries through the SOAP service', () => {
    const entry = (reference: string, credit = '-250.00') => ({
      CompanyCode: '1710',
      DocumentReferenceID: reference,
      DocumentHeaderText: 'Usage March',
      DocumentDate: '2026-03-31',
      PostingDate: '2026-03-31',
      TransactionCurrency: 'USD',
      Item: [
        { GLAccount: '12100000', AmountInTransactionCurrency: '250.00', DebitCreditCode: 'S', AccountAssignment: { CostCenter: 'CC-1' } },
        { GLAccount: '41000000', AmountInTransactionCurrency: credit, DebitCreditCode: 'H', DocumentItemText: 'Revenue & <usage>' },
      ],
    });
    const config = { connectionId: 'sap', operation: 'upsert', recordType: 'A_JournalEntry', externalIdPath: 'DocumentReferenceID' };

    it('posts by SOAP envelope (no CSRF handshake), returns the posted document, and upserts by reference once', async () => {
      const counting = countingFetch(outbound);
      const sap = executors(counting.fetch)['sap.record'];
      const ctx = ctxWith(connections(), { idempotencyKey: 'run-1:post:0' });
      const first = await sap(ctx, config, entry('JE-1'));
      expect(first.output).toMatchObject({
        created: true,
        externalId: 'JE-1',
        record: { AccountingDocument: '0100000001', FiscalYear: '2026', CompanyCode: '1710', TransactionCurrency: 'USD', to_Item: [{ CostCenter: 'CC-1' }, { DocumentItemText: 'Revenue & <usage>' }] },
      });
      expect(counting.paths.filter((p) => p === '/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi')).toHaveLength(1);
      expect(counting.paths.some((p) => p.endsWith('/API_JOURNALENTRY_SRV/'))).toBe(false);
      const again = await sap(ctxWith(connections(), { idempotencyKey: 'run-2:post:0' }), config, entry('JE-1'));
      expect(again.output).toMatchObject({ created: false, id: '0100000001' });
      expect(sim.records('A_JournalEntry')).toHaveLength(1);
    });

    it('posts once when the answer to the first attempt was lost: the retry is the same SOAP message', async () => {
      const sap = executors(outbound)['sap.record'];
      const ctx = ctxWith(connections(), { idempotencyKey: 'run-3:post:0' });
      sim.setFaults({ account: system.systemId, lostResponseRate: 1 });
      const lost = await nodeError(sap(ctx, { ...config, operation: 'create' }, entry('JE-LOST')));
      expect(lost).toMatchObject({ retryable: true });
      sim.clearFaults(system.systemId);
      expect(sim.records('A_JournalEntry')).toHaveLength(1);
      const retried = await sap(ctx, { ...config, operation: 'create' }, entry('JE-LOST'));
      expect(retried.output).toMatchObject({ id: '0100000001' });
      expect(sim.records('A_JournalEntry')).toHaveLength(1);
    });

    it("fails permanently with SAP's log on a business error, names a bad element, and retries a Server fault", async () => {
      const sap = executors(outbound)['sap.record'];
      const ctx = ctxWith(connections());
      const unbalanced = await nodeError(sap(ctx, config, entry('JE-BAD', '-200.00')));
      expect(unbalanced).toMatchObject({ code: 'rejected', retryable: false });
      expect(unbalanced.message).toContain('702(F5) Balance in transaction currency: 50.00 USD');
      const unknown = await nodeError(sap(ctx, config, { ...entry('JE-X'), Bogus: '1' }));
      expect(unknown).toMatchObject({ code: 'invalid_payload', retryable: false });
      expect(unknown.message).toContain('Bogus is not an element of JournalEntry');
      const noCurrency = await nodeError(sap(ctx, config, { ...entry('JE-Y'), TransactionCurrency: undefined }));
      expect(noCurrency.message).toContain('TransactionCurrency must be an ISO currency code');
      sim.setFaults({ account: system.systemId, errorRate: 1 });
      const fault = await nodeError(sap(ctx, { ...config, operation: 'create' }, entry('JE-Z')));
      expect(fault).toMatchObject({ retryable: true, status: 500 });
      expect(fault.message).toContain('SOAP fault Server: SRT Framework exception');
      expect(sim.records('A_JournalEntry')).toHaveLength(0);
    });
  });
});
