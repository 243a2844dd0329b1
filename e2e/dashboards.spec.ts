import { expect, test } from '@playwright/test';

/** Tenant and cross-tenant dashboards render figures and charts from real runs. */
test('tenant and all-tenant dashboards show runs, charts and which tenants are behind', async ({ page, request }) => {
  // A few runs so the charts have data: two good invoices and one with a text quantity.
  const good = (n: string) => ({ number: n, customer: { name: 'Acme' }, currency: 'EUR', lines: [{ sku: 'A', quantity: 1, unitPrice: 10 }] });
  const stamp = Date.now();
  await request.post('/api/hooks/acme/invoices', { data: good(`INV-D-${stamp}-1`) });
  await request.post('/api/hooks/acme/invoices', { data: good(`INV-D-${stamp}-2`) });
  await request.post('/api/hooks/globex/invoices', { data: good(`INV-D-${stamp}-3`) });
  await request.post('/api/hooks/acme/invoices', { data: { ...good(`INV-D-${stamp}-4`), lines: [{ sku: 'A', quantity: 'x', unitPrice: 1 }] } });

  await page.goto('/dashboards');
  await expect(page.getByTestId('dashboard')).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId('kpi-runs-value').textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('chart-throughput').locator('rect').first()).toBeVisible();
  await expect(page.getByTestId('chart-success').locator('circle').first()).toBeVisible();
  await expect(page.getByTestId('chart-durations').getByTestId('duration-row').first()).toContainText('Invoice sync');
  await expect(page.getByTestId('kpi-sla-value')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('workflow-stat').first()).toContainText('15m');
  await page.screenshot({ path: 'docs/screenshots/dashboard-tenant.png', fullPage: true });

  await page.getByTestId('scope-platform').click();
  await expect(page).toHaveURL(/scope=platform/);
  await expect(page.getByTestId('tenant-backlog')).toHaveCount(2);
  await expect(page.locator('[data-testid="tenant-backlog"][data-tenant="globex"]')).toBeVisible();
  await page.getByTestId('range-6h').click();
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-range', '6h');
  await page.screenshot({ path: 'docs/screenshots/dashboard-platform.png', fullPage: true });
});
