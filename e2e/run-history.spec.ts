import { expect, test, type APIRequestContext } from '@playwright/test';

/**
 * Run history and recovery through the UI: find a failed run by its business key, inspect the
 * failing step, replay it from that step with a corrected input, and see the replay succeed.
 * Uses the demo "Invoice sync" workflow seeded for tenant acme (its business key is the invoice number).
 */

const invoice = (number: string, quantity: unknown) => ({
  number,
  customer: { name: 'Acme Retail GmbH' },
  currency: 'EUR',
  lines: [{ sku: 'BOLT-7', quantity, unitPrice: 2.5 }],
});

/** A quantity typed as text makes the mapping's arithmetic fail: a permanent error at node `map`. */
async function sendBadInvoice(request: APIRequestContext, number: string) {
  const res = await request.post('/api/hooks/acme/invoices', { data: invoice(number, 'twelve') });
  // The route is synchronous: it answers with the run's failure (or 202 if it took longer than its timeout).
  expect(res.status()).toBeGreaterThanOrEqual(200);
}

test('find a failed run by business key, inspect the failing step, replay it from that step with a corrected input', async ({ page, request }) => {
  const number = `INV-2026-${Date.now().toString().slice(-6)}`;
  await sendBadInvoice(request, number);

  // Search by the invoice number: every run that touched it.
  await page.goto('/runs');
  await page.getByTestId('runs-search').fill(number);
  await page.getByTestId('runs-search-submit').click();
  await expect(page).toHaveURL(new RegExp(`q=${number}`));
  await expect(page.getByTestId('runs-search-note')).toContainText(number);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(rows.first()).toContainText(number);
  await page.screenshot({ path: 'docs/screenshots/runs-search.png' });

  // The run page: the failing step with its error.
  await rows.first().getByTestId('run-link').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('run-business-keys')).toContainText(number);
  // The pinned version's canvas: the failing node is marked failed, the trigger's edge is the path taken.
  const canvas = page.getByTestId('run-canvas');
  await expect(canvas.getByTestId('node-run-status-map')).toHaveText('✕');
  await expect(canvas).not.toHaveAttribute('data-taken-edges', '0');
  await expect(page.getByTestId('step-timeline')).toHaveCount(await page.getByTestId('step-row').count());
  await page.screenshot({ path: 'docs/screenshots/run-failed.png', fullPage: true });
  const failing = page.locator('[data-testid="step-row"][data-node-id="map"][data-status="failed"]').last();
  await failing.getByTestId('step-toggle').click();
  await expect(page.getByTestId('step-error').last()).toContainText(/number|operator|\*/i);

  // Replay from that step: invalid JSON is refused before anything is sent.
  await page.getByTestId('run-replay-from-step').click();
  await expect(page.getByTestId('replay-node')).toHaveValue('map');
  const editor = page.getByTestId('replay-input');
  await expect(editor).toHaveValue(/twelve/);
  await editor.fill('{ "number": "broken", }');
  await expect(page.getByTestId('replay-input-error')).toContainText(/Invalid JSON at line 1/);
  await expect(page.getByTestId('replay-submit')).toBeDisabled();
  await page.screenshot({ path: 'docs/screenshots/run-replay-invalid-json.png' });

  // Corrected input: quantity as a number.
  await editor.fill(JSON.stringify(invoice(number, 12), null, 2));
  await expect(page.getByTestId('replay-input-error')).toHaveCount(0);
  const originalUrl = page.url();
  await page.getByTestId('replay-submit').click();
  await expect(page).not.toHaveURL(originalUrl);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('run-result')).toContainText('LEDGER-');

  // Related runs link the replay to its original.
  const replayOf = page.getByTestId('related-replay-of');
  await expect(replayOf.getByTestId('related-run')).toHaveAttribute('data-status', 'failed');
  await page.screenshot({ path: 'docs/screenshots/run-replayed.png', fullPage: true });

  // The search now shows both, the replay first.
  await page.goto(`/runs?q=${number}`);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'succeeded');
});

test('filters live in the URL and can be saved per tenant', async ({ page }) => {
  await page.goto('/runs');
  await page.getByTestId('runs-filter-status').selectOption('failed');
  await expect(page).toHaveURL(/status=failed/);
  await page.getByTestId('runs-filter-range').selectOption('24h');
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'failed');

  await page.getByTestId('save-filter-name').fill('Failed today');
  await page.getByTestId('save-filter').click();
  await page.goto('/runs');
  await expect(page.getByTestId('runs-filter-status')).toHaveValue('');
  await page.getByTestId('saved-filters').selectOption('Failed today');
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId('runs-filter-status')).toHaveValue('failed');
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'failed');
  await page.screenshot({ path: 'docs/screenshots/runs.png' });
});

test('dead letters: grouped by error class, bulk replay after a dry run, bulk discard with a reason', async ({ page, request }) => {
  for (let i = 0; i < 3; i++) await sendBadInvoice(request, `INV-DL-${Date.now()}-${i}`);
  await page.goto('/dead-letters');
  const group = page.getByTestId('dead-letter-group').first();
  await expect(group).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => Number(await group.getByTestId('group-count').textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const count = Number(await group.getByTestId('group-count').textContent());
  const code = await group.getAttribute('data-error-code');

  // Replay shows the dry-run count first; closing it changes nothing.
  await group.getByTestId('group-replay').click();
  await expect(page.getByTestId('bulk-dry-run')).toHaveAttribute('data-count', String(count));
  await page.screenshot({ path: 'docs/screenshots/dead-letters.png', fullPage: true });
  await page.getByTestId('bulk-replay').getByRole('button', { name: 'Cancel' }).click();

  // Discard needs a reason.
  await group.getByTestId('group-discard').click();
  await expect(page.getByTestId('bulk-dry-run')).toHaveAttribute('data-count', String(count));
  await expect(page.getByTestId('bulk-confirm')).toBeDisabled();
  await page.getByTestId('discard-reason').fill('test invoices with text quantities');
  await page.getByTestId('bulk-confirm').click();
  await expect(page.getByTestId('dead-letters-notice')).toContainText(`Discarded ${count} dead letter`);
  await expect(page.locator(`[data-testid="dead-letter-group"][data-error-code="${code}"]`)).toHaveCount(0);
});
