import { expect, test } from '@playwright/test';

/** The template gallery: a connectivity template becomes a draft that opens in the designer. */
test('starts a workflow from a template, refusing a missing connection with a reason', async ({ page }) => {
  await page.goto('/workflows');
  await page.getByTestId('open-template-gallery').click();
  const gallery = page.getByTestId('template-gallery');
  await expect(gallery.getByTestId('template-card-invoice-sync')).toBeVisible();
  await expect(gallery.getByTestId('template-card-order-to-cash')).toBeVisible();

  await gallery.getByTestId('template-card-invoice-sync').click();
  await expect(gallery.getByTestId('template-card-invoice-sync')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('template-erp').selectOption('netsuite');
  // No connection chosen: said next to the field, nothing created.
  await page.getByTestId('template-create').click();
  await expect(page.getByTestId('template-connectionId-error')).toContainText('Choose the ERP connection');
  await expect(page).toHaveURL(/\/workflows$/);

  await page.getByTestId('template-connectionId').selectOption({ label: 'netsuite' });
  const name = `Invoice sync from template ${Date.now()}`;
  await page.getByTestId('template-name').fill(name);
  await page.getByTestId('template-create').click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  // The template's NetSuite step carries the system's mark; the draft is valid as built.
  const netsuite = page.locator('[data-kind="netsuite.record"]').first();
  await expect(netsuite).toBeVisible();
  await expect(netsuite.locator('[data-system="NetSuite"]')).toHaveText('NS');
  await expect(page.getByTestId('publish-disabled-reason')).toHaveCount(0);
});
