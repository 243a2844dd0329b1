import { expect, test } from '@playwright/test';
import { buildBranchingWorkflow, createWorkflow, select } from './designer-helpers';

/**
 * Build a workflow with branches and an error port through the UI only, run the draft without
 * publishing, inspect each node's input and output, then pin an output and see the downstream
 * nodes use it instead of the upstream result.
 */
test('test-runs the draft, shows each node, and honours a pinned output', async ({ page }) => {
  await createWorkflow(page, `E2E test run ${Date.now()}`);
  const ids = await buildBranchingWorkflow(page);

  await page.getByTestId('panel-tab-test').click();
  await page.getByTestId('test-payload').fill('{ "amount": 150 }');
  await page.getByTestId('test-run').click();
  await expect(page.getByTestId('test-run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });

  // The true branch ran, the false branch (and what follows it) did not.
  await expect(page.getByTestId(`node-${ids.check}`)).toHaveAttribute('data-run-status', 'succeeded');
  await expect(page.getByTestId(`node-${ids.big}`)).toHaveAttribute('data-run-status', 'succeeded');
  await expect(page.getByTestId(`node-${ids.small}`)).not.toHaveAttribute('data-run-status', /.*/);

  // Clicking a node shows what it received and returned.
  await select(page, ids.big);
  await page.getByTestId('node-tab-run').click();
  await expect(page.getByTestId('node-run-input')).toContainText('"amount": 150');
  await expect(page.getByTestId('node-run-output')).toContainText('"size": "big"');

  // Pin Shape's output to a small amount: the next run takes the false branch without re-running Shape.
  await select(page, ids.shape);
  await expect(page.getByTestId('node-run-output')).toContainText('"amount": 150');
  await page.getByTestId('pin-output').click();
  await expect(page.getByTestId(`node-pinned-${ids.shape}`)).toBeVisible();
  await page.getByTestId('node-pin-output').getByText('"amount": 150').waitFor();
  // Edit the pinned value through the graph: undo/redo-able like any edit.
  await page.getByTestId('panel-tab-test').click();
  await expect(page.getByTestId('test-run-pins')).toContainText('Shape');
  await page.getByTestId('test-payload').fill('{ "amount": 150 }');

  // Pin a small amount instead by running once with a small payload, then pinning again.
  await select(page, ids.shape);
  await page.getByTestId('unpin-output').click();
  await page.getByTestId('panel-tab-test').click();
  await page.getByTestId('test-payload').fill('{ "amount": 7 }');
  await page.getByTestId('test-run').click();
  await expect(page.getByTestId('test-run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId(`node-${ids.small}`)).toHaveAttribute('data-run-status', 'succeeded');
  // The HTTP call failed and its error port led to the handler: the run still succeeded.
  await expect(page.getByTestId(`node-${ids.post}`)).toHaveAttribute('data-run-status', 'failed');
  await expect(page.getByTestId(`node-${ids.handle}`)).toHaveAttribute('data-run-status', 'succeeded');
  await select(page, ids.post);
  await page.getByTestId('node-tab-run').click();
  await expect(page.getByTestId('node-run-error')).toBeVisible();
  await select(page, ids.shape);
  await page.getByTestId('pin-output').click();

  // With Shape pinned to { amount: 7 }, a big payload still goes down the small branch.
  await page.getByTestId('panel-tab-test').click();
  await page.getByTestId('test-payload').fill('{ "amount": 5000 }');
  await page.getByTestId('test-run').click();
  await expect(page.getByTestId('test-run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId(`node-${ids.small}`)).toHaveAttribute('data-run-status', 'succeeded');
  await expect(page.getByTestId(`node-${ids.big}`)).not.toHaveAttribute('data-run-status', /.*/);
  await select(page, ids.check);
  await page.getByTestId('node-tab-run').click();
  await expect(page.getByTestId('node-run-input')).toContainText('"amount": 7');

  // Nothing was published: the workflow has no version, and the test run is not in its history.
  await page.getByTestId('panel-tab-versions').click();
  await expect(page.getByTestId('versions-empty')).toBeVisible();
  // Publishing after test runs makes version 1 (test versions do not count), without the pins.
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Published version 1' })).toBeVisible();
  await expect(page.getByTestId('version-item')).toHaveCount(1);
});
