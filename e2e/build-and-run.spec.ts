import { expect, test, type Locator, type Page } from '@playwright/test';

/**
 * The foundation's promise, through the UI only: build a workflow on the canvas, publish it,
 * trigger it through its webhook and see the run succeed on the runs page.
 */

async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  await from.hover();
  await page.mouse.down();
  const box = await to.boundingBox();
  if (!box) throw new Error('target handle is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
}

test('build, publish and run a workflow from the designer', async ({ page, request }) => {
  const name = `E2E order sync ${Date.now()}`;
  await page.goto('/workflows');
  await expect(page.getByTestId('workflows-table')).toBeVisible();

  // Create a workflow: its draft starts with a webhook trigger whose path comes from the name.
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-name').fill(name);
  await page.getByTestId('new-workflow-submit').click();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('node-trigger')).toBeVisible();

  // Configure the trigger's path.
  await page.getByTestId('node-trigger').click();
  const path = `orders-${Date.now()}`;
  await page.getByTestId('field-path').fill(path);

  // Add a transform from the palette and configure it in the side panel.
  await page.getByTestId('palette-search').fill('transform');
  await page.getByTestId('palette-item-transform').click();
  const transform = page.locator('[data-testid^="node-transform"][data-kind="transform"]');
  await expect(transform).toHaveCount(1);
  const transformId = await transform.getAttribute('data-node-id');
  await transform.click();
  await page.getByTestId('panel-label').fill('Shape order');
  await page.getByTestId('field-expression').fill('{ "order": id, "total": $sum(lines.amount) }');

  // Connect trigger → transform by dragging between their ports.
  await connect(page, page.getByTestId('handle-trigger-out'), page.getByTestId(`handle-${transformId}-in`));
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.getByTestId('problems-count')).toHaveCount(0);

  // Publish (saves the draft first).
  await page.getByTestId('publish-note').fill('first version from e2e');
  await expect(page.getByTestId('publish')).toBeEnabled();
  await page.getByTestId('publish').click();
  await page.getByTestId('panel-tab-versions').click();
  await expect(page.getByTestId('version-item')).toHaveCount(1);
  await expect(page.getByTestId('version-item').first()).toContainText('first version from e2e');

  // Trigger it through its webhook like a partner system would.
  const res = await request.post(`/api/hooks/acme/${path}`, {
    data: { id: 'SO-1001', lines: [{ amount: 40 }, { amount: 2 }] },
    headers: { 'x-correlation-id': 'e2e-corr-1001' },
  });
  expect(res.status()).toBe(202);
  const { runId, correlationId } = (await res.json()) as { runId: string; correlationId: string };
  expect(correlationId).toBe('e2e-corr-1001');

  // The runs page shows it succeed; the run page shows each step's output.
  await page.getByTestId('nav-runs').click();
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await row.getByTestId('run-link').click();
  await expect(page.getByTestId('run-status')).toContainText('succeeded'); // the run page's header (list rows use run-row-status)
  await expect(page.getByTestId('run-correlation-id')).toContainText('e2e-corr-1001');
  const step = page.locator(`[data-testid="step-row"][data-node-id="${transformId}"]`);
  await expect(step).toHaveAttribute('data-status', 'succeeded');
  await step.getByTestId('step-toggle').click();
  await expect(page.getByTestId('step-output')).toContainText('"total": 42');
});
