import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBackOfficeSim, type BackOfficeSimHandle } from '../src/index';
import { at, call, jsonInit } from './helpers';

let sim: BackOfficeSimHandle;
let hook: Server;
const received: unknown[] = [];
const KEY = { 'X-API-Key': 'bo-key-1' };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) => call(`${sim.url}${path}`, jsonInit('POST', body, { ...KEY, ...headers }));
const get = (path: string) => call(`${sim.url}${path}`, { headers: KEY });

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/warehouse`;
  sim = await startBackOfficeSim({
    accounts: [
      { account: 'tenant-a', apiKeys: ['bo-key-1'], inventory: { 'SKU-LIMITED': 3 } },
      { account: 'tenant-b', apiKeys: ['bo-key-2'], webhookUrl: hookUrl, autoShipAfterMs: 20 },
    ],
  });
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => hook.close(() => r()));
});
beforeEach(() => sim.reset());

describe('API keys', () => {
  it('accepts X-API-Key or a bearer key and rejects missing or wrong keys', async () => {
    expect((await get('/billing/v1/charges')).status).toBe(200);
    expect((await call(`${sim.url}/billing/v1/charges`, { headers: { Authorization: 'Bearer bo-key-1' } })).status).toBe(200);
    const none = await call(`${sim.url}/billing/v1/charges`);
    expect(none.status).toBe(401);
    expect(at(none.body, 'error')).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
    expect(at((await call(`${sim.url}/billing/v1/charges`, { headers: { 'X-API-Key': 'nope' } })).body, 'error', 'code')).toBe('invalid_api_key');
  });
});

describe('billing', () => {
  it('creates charges with validation naming the parameter, and honours Idempotency-Key', async () => {
    const bad = await post('/billing/v1/charges', { customerId: 'c1', amount: 10.5, currency: 'USD' });
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'error')).toMatchObject({ code: 'parameter_invalid', param: 'amount' });
    const missing = await post('/billing/v1/charges', { amount: 100, currency: 'USD' });
    expect(at(missing.body, 'error')).toMatchObject({ code: 'parameter_missing', param: 'customerId' });

    const body = { customerId: 'c1', amount: 1500, currency: 'USD', period: '2026-02' };
    const first = await post('/billing/v1/charges', body, { 'Idempotency-Key': 'run-1:rate:0' });
    expect(first.status).toBe(201);
    const replay = await post('/billing/v1/charges', body, { 'Idempotency-Key': 'run-1:rate:0' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(at(replay.body, 'id')).toBe(at(first.body, 'id'));
    const reused = await post('/billing/v1/charges', { ...body, amount: 1 }, { 'Idempotency-Key': 'run-1:rate:0' });
    expect(reused.status).toBe(422);
    expect(at(reused.body, 'error', 'code')).toBe('idempotency_key_reused');
    expect(sim.records('charges', 'tenant-a')).toHaveLength(1);
  });

  it('keeps the saved answer when the response is lost, so a retry does not duplicate', async () => {
    sim.setFaults({ account: 'tenant-a', lostResponseRate: 1 });
    const init = jsonInit('POST', { customerId: 'c1', amount: 100, currency: 'EUR' }, { ...KEY, 'Idempotency-Key': 'k-lost' });
    await expect(fetch(`${sim.url}/billing/v1/charges`, init)).rejects.toThrow();
    sim.clearFaults();
    const retry = await call(`${sim.url}/billing/v1/charges`, init);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(sim.records('charges')).toHaveLength(1);
  });

  it('invoices, pays and marks paid; refuses overpayment, wrong currency and duplicate external ids', async () => {
    const inv = await post('/billing/v1/invoices', {
      customerId: 'c1',
      currency: 'USD',
      externalId: 'INV-77',
      lines: [{ description: 'Seats', quantity: 3, unitAmount: 1000 }],
    });
    expect(inv.body).toMatchObject({ object: 'invoice', status: 'open', total: 3000, amountDue: 3000, number: 'INV-000001' });
    const dup = await post('/billing/v1/invoices', { customerId: 'c1', currency: 'USD', externalId: 'INV-77', lines: [{ description: 'x', unitAmount: 1 }] });
    expect(dup.status).toBe(409);
    expect(at(dup.body, 'error', 'existingId')).toBe(at(inv.body, 'id'));
    const id = String(at(inv.body, 'id'));
    expect(at((await post('/billing/v1/payments', { invoiceId: id, amount: 5000, currency: 'USD' })).body, 'error', 'param')).toBe('amount');
    expect(at((await post('/billing/v1/payments', { invoiceId: id, amount: 1000, currency: 'EUR' })).body, 'error', 'param')).toBe('currency');
    await post('/billing/v1/payments', { invoiceId: id, amount: 1000, currency: 'USD' });
    await post('/billing/v1/payments', { invoiceId: id, amount: 2000, currency: 'USD' });
    expect(at((await get(`/billing/v1/invoices/${id}`)).body, 'status')).toBe('paid');
    expect(at((await get(`/billing/v1/payments?invoiceId=${id}`)).body, 'data')).toHaveLength(2);
    expect((await post(`/billing/v1/invoices/${id}/void`, {})).status).toBe(409);
  });

  it('pages lists with limit and starting_after', async () => {
    for (let i = 0; i < 5; i++) await post('/billing/v1/charges', { customerId: `c${i}`, amount: 100 + i, currency: 'USD' });
    const first = await get('/billing/v1/charges?limit=2');
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    const last = String(at(first.body, 'data', 1, 'id'));
    const rest = await get(`/billing/v1/charges?limit=10&starting_after=${last}`);
    expect((at(rest.body, 'data') as unknown[]).length).toBe(3);
    expect(at(rest.body, 'has_more')).toBe(false);
  });
});

describe('crm', () => {
  it('upserts accounts by external id and records opportunities and status updates', async () => {
    const created = await call(`${sim.url}/crm/v1/accounts/by-external-id/CUST-1`, jsonInit('PATCH', { name: 'Acme' }, KEY));
    expect(created.status).toBe(201);
    const updated = await call(`${sim.url}/crm/v1/accounts/by-external-id/CUST-1`, jsonInit('PATCH', { paymentStatus: 'paid' }, KEY));
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Acme', paymentStatus: 'paid', externalId: 'CUST-1' });
    expect(sim.records('accounts', 'tenant-a')).toHaveLength(1);
    const accountId = String(at(created.body, 'id'));
    expect(at((await post('/crm/v1/opportunities', { accountId: 'nope', name: 'X', amount: 1, currency: 'USD' })).body, 'error', 'param')).toBe('accountId');
    const opp = await post('/crm/v1/opportunities', { accountId, name: 'Renewal', amount: 120000, currency: 'USD' });
    expect(at(opp.body, 'stage')).toBe('prospecting');
    const won = await call(`${sim.url}/crm/v1/opportunities/${String(at(opp.body, 'id'))}`, jsonInit('PATCH', { stage: 'closed_won' }, KEY));
    expect(at(won.body, 'stage')).toBe('closed_won');
    expect((await post('/crm/v1/status-updates', { accountId, status: 'payment_received', relatedObject: { type: 'invoice', id: 'in_1' } })).status).toBe(201);
    expect(at((await get(`/crm/v1/status-updates?accountId=${accountId}`)).body, 'data', 0, 'status')).toBe('payment_received');
  });
});

describe('warehouse', () => {
  it('accepts, reserves stock, refuses short stock, cancels and confirms shipments once', async () => {
    const short = await post('/warehouse/v1/fulfillment-orders', { orderRef: 'SO-1', lines: [{ sku: 'SKU-LIMITED', quantity: 4 }] });
    expect(short.status).toBe(422);
    expect(at(short.body, 'error')).toMatchObject({ code: 'insufficient_stock', param: 'lines[0].quantity' });
    const fo = await post('/warehouse/v1/fulfillment-orders', {
      orderRef: 'SO-1',
      lines: [
        { sku: 'SKU-LIMITED', quantity: 2 },
        { sku: 'ANY', quantity: 10 },
      ],
    });
    expect(fo.body).toMatchObject({ status: 'accepted', object: 'fulfillment_order' });
    expect((await post('/warehouse/v1/fulfillment-orders', { orderRef: 'SO-1', lines: [{ sku: 'ANY', quantity: 1 }] })).status).toBe(409);
    expect((await post('/warehouse/v1/fulfillment-orders', { orderRef: 'SO-2', lines: [{ sku: 'SKU-LIMITED', quantity: 2 }] })).status).toBe(422);
    const id = String(at(fo.body, 'id'));
    expect(at((await post(`/warehouse/v1/fulfillment-orders/${id}/cancel`, {})).body, 'status')).toBe('cancelled');
    const again = await post('/warehouse/v1/fulfillment-orders', { orderRef: 'SO-3', lines: [{ sku: 'SKU-LIMITED', quantity: 3 }] });
    const id3 = String(at(again.body, 'id'));
    const ship = { carrier: 'UPS', trackingNumber: '1Z999' };
    expect((await post(`/warehouse/v1/fulfillment-orders/${id3}/shipments`, ship)).status).toBe(201);
    expect((await post(`/warehouse/v1/fulfillment-orders/${id3}/shipments`, ship)).status).toBe(200);
    expect(sim.records('shipments', 'tenant-a')).toHaveLength(1);
    expect(at((await get(`/warehouse/v1/fulfillment-orders/${id3}`)).body, 'status')).toBe('shipped');
    expect((await post(`/warehouse/v1/fulfillment-orders/${id3}/cancel`, {})).status).toBe(409);
  });

  it('ships by itself and announces it with a webhook when configured', async () => {
    received.length = 0;
    const fo = await call(
      `${sim.url}/warehouse/v1/fulfillment-orders`,
      jsonInit('POST', { orderRef: 'SO-B1', lines: [{ sku: 'X', quantity: 1 }] }, { 'X-API-Key': 'bo-key-2' }),
    );
    expect(fo.status).toBe(201);
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received[0]).toMatchObject({
      type: 'fulfillment_order.shipped',
      account: 'tenant-b',
      data: { fulfillmentOrder: { orderRef: 'SO-B1', status: 'shipped' } },
    });
    expect(sim.webhookDeliveries().at(-1)).toMatchObject({ account: 'tenant-b', status: 204 });
  });
});
