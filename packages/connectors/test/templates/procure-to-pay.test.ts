import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleVendorBill, type VendorBillV1 } from '@switchyard/canonical';
import type { Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { procureToPayTemplate } from '../../src/templates/procure-to-pay';
import { startEstate } from '../erp/support';
import { drive } from './engine-driver';
import { connectionsFor, engineEnv, ERP_ACCOUNT, tenantOverlay, type EngineEnv } from './support';

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

describe('procure-to-pay template with netsuite', () => {
  let env: EngineEnv;
  const graph = () => procureToPayTemplate.build({ erp: 'netsuite', connectionId: 'erp', procurementConnectionId: 'procurement', overlay: tenantOverlay('netsuite') }).graph;
  const bills = () => estate.netsuite.records('vendorBill', ERP_ACCOUNT.netsuite);

  beforeEach(() => {
    estate.reset();
    env = engineEnv({
      ...connectionsFor(estate, 'netsuite'),
      procurement: { id: '00000000-0000-4000-8000-0000000000f1', name: 'procurement', kind: 'rest', baseUrl: procurementUrl, config: { auth: 'api-key', apiKeyHeader: 'X-API-Key' }, credentials: { apiKey: PROCUREMENT_KEY } },
    });
  });

  it('books a matching supplier invoice once as a vendor bill, also under faults', async () => {
    estate.netsuite.setFaults({ account: ERP_ACCOUNT.netsuite, errorRate: 0.2, lostResponseRate: 0.15, seed: 12 });
    for (const runId of ['p2p-a', 'p2p-b']) {
      expect((await drive(env, graph(), sampleVendorBill(), runId)).outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    }
    expect(env.store.stateOf('p2p-b')?.response).toMatchObject({ status: 200, body: { bill: 'BILL-2026-0311', erp: 'netsuite' } });
    expect(bills()).toHaveLength(1);
    expect(bills()[0]?.data).toMatchObject({ externalId: 'BILL-2026-0311', total: 3600 });
  });

  it('holds a bill that is priced above its order, or names an unknown order, with 409 and books nothing', async () => {
    const base = sampleVendorBill();
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
});
