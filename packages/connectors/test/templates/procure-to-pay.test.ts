import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleVendorBill, type VendorBillV1 } from '@switchyard/canonical';
import type { Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROCURE_TO_PAY_ERPS, procureToPayTemplate } from '../../src/templates/procure-to-pay';
import { startEstate } from '../erp/support';
import { drive } from './engine-driver';
import { connectionsFor, engineEnv, ERP_ACCOUNT, SIM_OF, tenantOverlay, type EngineEnv } from './support';

let estate: Estate;
let procurement: Server;
let procurementUrl: string;
const PROCUREMENT_KEY = 'procurement-api-key-42';

/** The tenant's procurement system: purchase orders by number, behind an API key. */
const ORDERS: Record<string, unknown> = {
  'PO-2026-0311': { number: 'PO-2026-0311', currency: 'USD', lines: [{ lineNumber: 1, sku: 'SERVO-M3', quantity: '40', unitPrice: '85.50' }] },
};

beforeAll(async () => {
  estate = await startEstate();
  procurement = createServer((req, res) => {
    if (req.headers['x-api-key'] !== PROCUREMENT_KEY) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"bad key"}');
      return;
    }
    const number = decodeURIComponent((req.url ?? '').replace(/^\/purchase-orders\//, ''));
    const po = ORDERS[number];
    res.writeHead(po ? 200 : 404, { 'Content-Type': 'application/json' }).end(JSON.stringify(po ?? { message: `no purchase order ${number}` }));
  });
  await new Promise<void>((resolve) => procurement.listen(0, '127.0.0.1', resolve));
  procurementUrl = `http://127.0.0.1:${(procurement.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await estate.close();
  await new Promise((resolve) => procurement.close(resolve));
});

/** Where each ERP keeps a booked bill, and what it must hold. */
const BILLS = {
  netsuite: { kind: 'vendorBill', bill: sampleVendorBill, check: (data: Record<string, unknown>) => expect(data).toMatchObject({ externalId: 'BILL-2026-0311', total: 3600 }) },
  'business-central': {
    kind: 'purchaseInvoices',
    bill: sampleVendorBill,
    check: (data: Record<string, unknown>) => {
      expect(data).toMatchObject({ vendorInvoiceNumber: 'CC-INV-88231', vendorNumber: 'V2001', totalAmountExcludingTax: 3600, status: 'Draft' });
      expect(data.purchaseInvoiceLines).toMatchObject([
        { lineType: 'Item', lineObjectNumber: 'SERVO-M3', quantity: 40, directUnitCost: 85.5, amountExcludingTax: 3420 },
        { lineType: 'Account', lineObjectNumber: '61300', quantity: 1, directUnitCost: 180, amountExcludingTax: 180 },
      ]);
    },
  },
  'oracle-fusion': {
    kind: 'invoices',
    // Fusion takes payables invoices only from suppliers it knows, by name (the simulator's demo instance knows Lee Supplies).
    bill: (): VendorBillV1 => ({ ...sampleVendorBill(), supplier: { ...sampleVendorBill().supplier, name: 'Lee Supplies' } }),
    check: (data: Record<string, unknown>) => {
      expect(data).toMatchObject({ InvoiceNumber: 'BILL-2026-0311', InvoiceCurrency: 'USD', Supplier: 'Lee Supplies' });
      expect(data.invoiceLines).toHaveLength(sampleVendorBill().lines.length);
    },
  },
} as const;

describe.each(PROCURE_TO_PAY_ERPS)('procure-to-pay template with %s', (erp) => {
  let env: EngineEnv;
  const graph = () => procureToPayTemplate.build({ erp, connectionId: 'erp', procurementConnectionId: 'procurement', overlay: tenantOverlay(erp) }).graph;
  const bills = () => estate[SIM_OF[erp]].records(BILLS[erp].kind, ERP_ACCOUNT[erp]);

  beforeEach(() => {
    estate.reset();
    env = engineEnv({
      ...connectionsFor(estate, erp),
      procurement: { id: '00000000-0000-4000-8000-0000000000f1', name: 'procurement', kind: 'rest', baseUrl: procurementUrl, config: { auth: 'api-key', apiKeyHeader: 'X-API-Key' }, credentials: { apiKey: PROCUREMENT_KEY } },
    });
  });

  it('books a matching supplier invoice once as a vendor bill, also under faults', async () => {
    estate[SIM_OF[erp]].setFaults({ account: ERP_ACCOUNT[erp], errorRate: 0.2, lostResponseRate: 0.15, seed: 12 });
    for (const runId of ['p2p-a', 'p2p-b']) {
      expect((await drive(env, graph(), BILLS[erp].bill(), runId)).outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    }
    expect(env.store.stateOf('p2p-b')?.response).toMatchObject({ status: 200, body: { bill: 'BILL-2026-0311', erp } });
    expect(bills()).toHaveLength(1);
    BILLS[erp].check(bills()[0]!.data as Record<string, unknown>);
  });

  it('holds a bill that is priced above its order, or names an unknown order, with 409 and books nothing', async () => {
    const base = BILLS[erp].bill();
    const pricey: VendorBillV1 = {
      ...base,
      lines: [{ ...base.lines[0]!, unitPrice: '90.00', amount: '3600.00' }, base.lines[1]!],
      subtotal: '3780.00',
      total: '4074.98',
    };
    expect((await drive(env, graph(), pricey, 'p2p-price')).outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(env.store.stateOf('p2p-price')?.response).toMatchObject({ status: 409 });
    expect((await drive(env, graph(), { ...base, purchaseOrderNumber: 'PO-UNKNOWN' }, 'p2p-unknown')).outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(env.store.stateOf('p2p-unknown')?.response).toMatchObject({ status: 409, body: { purchaseOrder: 'PO-UNKNOWN' } });
    expect(bills()).toHaveLength(0);
  });

  it.runIf(erp === 'oracle-fusion')('fails a bill from a supplier Fusion does not know, at once and with Fusion’s reason, and books nothing', async () => {
    const outcome = (await drive(env, graph(), sampleVendorBill(), 'p2p-unknown-supplier')).outcome;
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    const failed = env.store.steps('p2p-unknown-supplier').filter((s) => s.nodeId === 'vendorBill' && s.error);
    expect(failed).toHaveLength(1); // permanent: not retried
    expect(failed[0]?.error).toMatchObject({ code: 'rejected', retryable: false, status: 400, message: expect.stringContaining("Supplier isn't valid: Contoso Components") });
    expect(bills()).toHaveLength(0);
  });
});
