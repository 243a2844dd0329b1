import { expect, test } from '@playwright/test';

/** The README's demo: the seeded invoice sync answers synchronously and shows up in run history. */
test('the demo invoice webhook answers with the ledger id and is visible in the runs list', async ({ page, request }) => {
  const number = `INV-E2E-${Date.now()}`;
  const invoice = { number, currency: 'EUR', customer: { name: 'Initech' }, lines: [{ sku: 'A-1', quantity: 2, unitPrice: 50 }] };
  const res = await request.post('/api/hooks/acme/invoices', { data: invoice });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'synced', ledgerId: expect.stringMatching(/^LEDGER-\d+$/) });

  // Same invoice number, same body: the same run; different body: 409.
  const again = await request.post('/api/hooks/acme/invoices', { data: invoice });
  expect(again.status()).toBe(200);
  const conflict = await request.post('/api/hooks/acme/invoices', { data: { ...invoice, currency: 'USD' } });
  expect(conflict.status()).toBe(409);

  // Bad input: not JSON is a 400 and starts nothing; unknown tenant is a 404.
  const bad = await request.post('/api/hooks/acme/invoices', { data: '{oops', headers: { 'content-type': 'application/json' } });
  expect(bad.status()).toBe(400);
  expect((await request.post('/api/hooks/nobody/invoices', { data: {} })).status()).toBe(404);

  await page.goto('/runs');
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'succeeded');
  const health = await request.get('/api/health');
  expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
});
