import { sampleSalesOrder, type SalesOrderV1 } from '@switchyard/canonical';
import { DEMO_ESTATE, startAllSimulators, type Estate, type StoredRecord } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORDER_TO_CASH_ERPS, orderToCashTemplate } from '../../src/templates/order-to-cash';
import type { TemplateErp } from '../../src/templates/erp-targets';
import { deliver, drive } from './engine-driver';
import { connectionsFor, engineEnv, ERP_ACCOUNT, SIM_OF, tenantOverlay, type EngineEnv } from './support';

let estate: Estate;
const BACK_OFFICE = DEMO_ESTATE.backOffice.accounts[0].account;

beforeAll(async () => {
  estate = await startAllSimulators({
    host: '127.0.0.1',
    // The warehouse has none of this SKU: ordering it makes fulfilment fail for good.
    backOffice: { accounts: [{ account: BACK_OFFICE, apiKeys: [...DEMO_ESTATE.backOffice.accounts[0].apiKeys], inventory: { 'NO-STOCK': 0 } }] },
  });
});
afterAll(async () => {
  await estate.close();
});

const ORDER_KIND: Record<string, string> = { netsuite: 'salesOrder', 'business-central': 'salesOrders', sap: 'A_SalesOrder' };
const orderKey: Record<string, (r: StoredRecord) => unknown> = {
  netsuite: (r) => r.data.externalId,
  'business-central': (r) => r.data.externalDocumentNumber,
  sap: (r) => r.data.PurchaseOrderByCustomer,
};

function order(number: string, overrides: Partial<SalesOrderV1> = {}): SalesOrderV1 {
  return { ...sampleSalesOrder(), id: number, number, ...overrides };
}

describe.each(ORDER_TO_CASH_ERPS)('order-to-cash template with %s', (erp) => {
  let env: EngineEnv;
  const graph = () => orderToCashTemplate.build({ erp, connectionId: 'erp', backOfficeConnectionId: 'back-office', overlay: tenantOverlay(erp as TemplateErp) }).graph;
  const erpOrders = () => estate[SIM_OF[erp]].records(ORDER_KIND[erp] as string, ERP_ACCOUNT[erp]);
  const bo = (kind: string) => estate.backOffice.records(kind, BACK_OFFICE);

  beforeEach(() => {
    estate.reset();
    env = engineEnv(connectionsFor(estate, erp));
  });

  it('runs the order through ERP, warehouse, confirmation, billing and CRM once, even when delivered twice', async () => {
    const o = order('SO-O2C-1');
    for (const runId of ['o2c-a', 'o2c-b']) {
      const first = await drive(env, graph(), o, runId);
      expect(first.outcome).toMatchObject({ kind: 'waiting' });
      expect(env.store.stateOf(runId)?.response).toMatchObject({ status: 202, body: { order: 'SO-O2C-1', status: 'accepted' } });
      const done = await deliver(env, first.run, 'SO-O2C-1', { shipped: true, carrier: 'SIMPOST' });
      expect(done.outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    }
    expect(erpOrders().map(orderKey[erp] as (r: StoredRecord) => unknown)).toEqual(['SO-O2C-1']);
    expect(bo('fulfillmentOrders')).toHaveLength(1);
    expect(bo('fulfillmentOrders')[0]?.data).toMatchObject({ orderRef: 'SO-O2C-1', status: 'accepted' });
    const invoices = bo('invoices');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]?.data).toMatchObject({ customerId: o.customer.number, currency: o.currency, total: Math.round(Number(o.total) * 100) });
    expect(bo('accounts')).toHaveLength(1);
    expect(bo('statusUpdates')).toHaveLength(1);
    expect(bo('statusUpdates')[0]?.data).toMatchObject({ status: 'billed', accountId: bo('accounts')[0]?.id });
  });

  it('cancels the sales order (compensation) when the warehouse cannot fulfil it', async () => {
    const base = sampleSalesOrder();
    const line = { ...base.lines[0]!, sku: 'NO-STOCK', quantity: '1', unitPrice: '100.00', amount: '100.00', discountAmount: undefined };
    const o = order('SO-O2C-2', { lines: [line], subtotal: '100.00', taxAmount: '0.00', total: '100.00' });
    const { outcome } = await drive(env, graph(), o, 'o2c-fail');
    expect(outcome).toEqual({ kind: 'finished', status: 'compensated' });
    const steps = env.store.steps('o2c-fail');
    expect(steps.find((s) => s.nodeId === 'fulfil' && s.status === 'failed')?.error).toMatchObject({ retryable: false, message: expect.stringContaining('insufficient_stock') });
    if (erp === 'netsuite') expect(erpOrders().map((r) => r.data.orderStatus)).toEqual(['C']);
    else expect(erpOrders()).toHaveLength(0);
    expect(bo('invoices')).toHaveLength(0);
  });

  it('refuses an order that breaks the tax rule before touching any system', async () => {
    const o = order('SO-O2C-3', { taxAmount: '5000.00', total: String((Number(sampleSalesOrder().subtotal) + 5000).toFixed(2)) });
    const { outcome } = await drive(env, graph(), o, 'o2c-rule');
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(env.store.stateOf('o2c-rule')?.response).toMatchObject({ status: 422 });
    expect(erpOrders()).toHaveLength(0);
  });

  it('finishes once with faults injected in the ERP and the back office', async () => {
    estate[SIM_OF[erp]].setFaults({ account: ERP_ACCOUNT[erp], errorRate: 0.15, rate429: 0.1, lostResponseRate: 0.1, seed: 3 });
    estate.backOffice.setFaults({ account: BACK_OFFICE, errorRate: 0.15, rate429: 0.1, lostResponseRate: 0.1, seed: 4 });
    const first = await drive(env, graph(), order('SO-O2C-4'), 'o2c-faults');
    expect(first.outcome).toMatchObject({ kind: 'waiting' });
    expect((await deliver(env, first.run, 'SO-O2C-4', { shipped: true })).outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    estate.backOffice.clearFaults();
    expect(erpOrders()).toHaveLength(1);
    for (const kind of ['fulfillmentOrders', 'invoices', 'accounts', 'statusUpdates']) expect(bo(kind), kind).toHaveLength(1);
    expect(env.store.steps('o2c-faults').some((s) => s.status === 'failed')).toBe(true);
  });
});
