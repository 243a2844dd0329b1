import { expect, test } from '@playwright/test';
import { addNode, connect, createWorkflow, fitView, select } from './designer-helpers';

test('publishes versions with notes, diffs two of them and rolls back', async ({ page }) => {
  await createWorkflow(page, `E2E versions ${Date.now()}`);
  const map = await addNode(page, 'transform');
  await fitView(page);
  await connect(page, 'trigger', 'out', map);
  await select(page, map);
  await page.getByTestId('panel-label').fill('Map invoice');
  await page.getByTestId('field-expression').fill('{ "id": number }');

  // v1
  await page.getByTestId('publish-note').fill('first cut');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast').last()).toContainText('Published version 1');

  // v2: a changed expression, a changed label, a new node, a retry override.
  await select(page, map);
  await page.getByTestId('field-expression').fill('{ "id": number, "total": total }');
  await page.getByTestId('panel-label').fill('Map invoice with total');
  await page.getByTestId('node-tab-settings').click();
  await page.getByTestId('policy-max-attempts').fill('5');
  await page.getByTestId('node-tab-config').click();
  const reply = await addNode(page, 'respond');
  await fitView(page);
  await connect(page, map, 'out', reply);
  await page.getByTestId('publish-note').fill('adds the total and a reply');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast').last()).toContainText('Published version 2');

  await page.getByTestId('panel-tab-versions').click();
  await expect(page.getByTestId('version-item')).toHaveCount(2);
  await expect(page.getByTestId('version-item').first()).toContainText('adds the total and a reply');

  // Diff v1 → v2 on a read-only canvas, with the changes listed field by field.
  await page.getByTestId('compare-pick-1').check();
  await page.getByTestId('compare-pick-2').check();
  await page.getByTestId('compare-versions').click();
  const diff = page.getByTestId('diff-view');
  await expect(diff).toBeVisible();
  await expect(diff.getByTestId('diff-summary')).toContainText('1 added');
  await expect(diff.getByTestId(`node-${reply}`)).toHaveAttribute('data-diff', 'added');
  await expect(diff.getByTestId(`node-${map}`)).toHaveAttribute('data-diff', 'changed');
  const changed = diff.locator(`[data-testid="diff-node"][data-node-id="${map}"]`);
  await expect(changed.locator('[data-testid="diff-change"][data-path="config.expression"]')).toContainText('"total": total');
  await expect(changed.locator('[data-testid="diff-change"][data-path="label"]')).toContainText('Map invoice with total');
  await expect(changed.locator('[data-testid="diff-change"][data-path="policy"]')).toContainText('maxAttempts');
  await diff.getByTestId('diff-close').click();
  await expect(diff).toHaveCount(0);

  // Roll back to v1: v3 is published from v1's graph and becomes active.
  await page.getByTestId('rollback-1').click();
  await page.getByTestId('rollback-confirm').click();
  await expect(page.getByTestId('version-item')).toHaveCount(3);
  await expect(page.getByTestId('version-item').first()).toContainText('Rollback to v1 (first cut)');
  await expect(page.getByTestId('version-item').first()).toContainText('active');

  // v1 and v3 are the same graph.
  await page.getByTestId('compare-pick-1').check();
  await page.getByTestId('compare-pick-3').check();
  await page.getByTestId('compare-versions').click();
  await expect(page.getByTestId('diff-identical')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('diff-view')).toHaveCount(0);

  // The draft still has the later edits until the rolled-back graph is loaded into it.
  await expect(page.getByTestId(`node-${reply}`)).toBeVisible();
  await page.getByTestId('rollback-load-draft').click();
  await expect(page.getByTestId(`node-${reply}`)).toHaveCount(0);
  await select(page, map);
  await expect(page.getByTestId('field-expression')).toHaveText('{ "id": number }');
  // …and undo brings the later draft back.
  await page.keyboard.press('Escape');
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId(`node-${reply}`)).toBeVisible();
});
