import { expect, test } from '@playwright/test';
import { addNode, buildBranchingWorkflow, connect, createWorkflow, fitView, select, setField, setLabel } from './designer-helpers';

/**
 * The whole designer journey in one workflow, through the UI only: branches, an error port and a
 * map (for each) built on the canvas; an expression written with the JSONata editor's completions
 * and live value; a test run of the draft; publish; a second version; the diff of the two; rollback.
 */
test('builds branches, an error port and a map, test-runs, publishes, diffs and rolls back', async ({ page }) => {
  test.setTimeout(180_000);
  await createWorkflow(page, `E2E journey ${Date.now()}`);
  const ids = await buildBranchingWorkflow(page);

  // Big orders fan out over their lines: map → (item) Line → one result per line.
  const map = await addNode(page, 'map');
  const line = await addNode(page, 'transform');
  await page.getByTestId('auto-layout').click();
  await page.waitForTimeout(600);
  await fitView(page);
  await setLabel(page, map, 'Each line');
  await setField(page, map, 'items', '$trigger.lines');
  await setLabel(page, line, 'Line');
  await setField(page, line, 'expression', '{ "sku": sku }');
  await connect(page, ids.big, 'out', map);
  await connect(page, map, 'item', line);
  await page.getByTestId('auto-layout').click();
  await page.waitForTimeout(600);
  await fitView(page);
  await expect(page.getByTestId('problems-count')).toHaveCount(0);

  await page.getByTestId('panel-tab-test').click();
  await page.getByTestId('test-payload').fill('{ "amount": 150, "lines": [{ "sku": "A", "qty": 1 }, { "sku": "B", "qty": 3 }] }');
  await page.getByTestId('test-run').click();
  await expect(page.getByTestId('test-run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId(`node-${map}`)).toHaveAttribute('data-run-status', 'succeeded');
  await select(page, map);
  await page.getByTestId('node-tab-run').click();
  await expect(page.getByTestId('node-run-output')).toContainText('"sku": "B"');

  // The JSONata editor offers the fields of what Line received in the run, and shows the value live.
  await select(page, line);
  await page.getByTestId('node-tab-config').click();
  const editor = page.getByTestId('field-expression');
  await editor.fill('{ "sku": sku, "twice": q');
  await page.keyboard.press('Control+Space');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions).toContainText('qty');
  // Pick the field by name (the list also offers functions, so the first entry is not always it).
  await completions.getByRole('option', { name: /^qty/ }).click();
  await page.keyboard.type(' * 2 }');
  await expect(editor).toHaveText('{ "sku": sku, "twice": qty * 2 }');
  await expect(page.getByTestId('field-expression-preview')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('field-expression-preview')).toContainText('"twice": 6');
  // A syntax error is shown as one, with where it is.
  await editor.fill('{ "sku": ');
  await expect(page.getByTestId('field-expression-preview')).toHaveAttribute('data-state', 'error');
  await editor.fill('{ "sku": sku, "twice": qty * 2 }');

  // v1, then v2 with a changed Line and a reply node.
  await page.getByTestId('publish-note').fill('with lines');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Published version 1' })).toBeVisible();
  await setField(page, line, 'expression', '{ "sku": sku, "thrice": qty * 3 }');
  const reply = await addNode(page, 'transform');
  await fitView(page);
  await connect(page, map, 'out', reply);
  await page.getByTestId('publish-note').fill('thrice');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Published version 2' })).toBeVisible();

  await page.getByTestId('panel-tab-versions').click();
  await page.getByTestId('compare-pick-1').check();
  await page.getByTestId('compare-pick-2').check();
  await page.getByTestId('compare-versions').click();
  const diff = page.getByTestId('diff-view');
  await expect(diff.getByTestId(`node-${reply}`)).toHaveAttribute('data-diff', 'added');
  await expect(diff.getByTestId(`node-${line}`)).toHaveAttribute('data-diff', 'changed');
  await expect(diff.locator(`[data-testid="diff-node"][data-node-id="${line}"] [data-testid="diff-change"][data-path="config.expression"]`)).toContainText('thrice');
  await diff.getByTestId('diff-close').click();

  await page.getByTestId('rollback-1').click();
  await page.getByTestId('rollback-confirm').click();
  await expect(page.getByTestId('version-item')).toHaveCount(3);
  await expect(page.getByTestId('version-item').first()).toContainText('Rollback to v1');
  await expect(page.getByTestId('version-item').first()).toContainText('active');
});

/** Autosave, reload and a second tab: no edit is lost and a stale tab cannot overwrite silently. */
test('drafts save themselves; a reload keeps every edit; a second tab sees the conflict', async ({ page, context }) => {
  const id = await createWorkflow(page, `E2E autosave ${Date.now()}`);
  const node = await addNode(page, 'transform');
  await setLabel(page, node, 'Saved by itself');
  // No click on "Save draft": the draft saves after a quiet moment.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false', { timeout: 10_000 });
  await page.reload();
  await expect(page.getByTestId(`node-${node}`)).toContainText('Saved by itself');

  // An edit followed at once by a reload (inside the autosave delay) is restored from the browser.
  await setLabel(page, node, 'Typed just before reload');
  await page.reload();
  await expect(page.getByTestId(`node-${node}`)).toContainText('Typed just before reload');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false', { timeout: 10_000 });

  // A second tab saves; the first is told, and its own edit is not silently written over the other.
  const other = await context.newPage();
  await other.goto(`/workflows/${id}`);
  await setLabel(other, node, 'From the second tab');
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false', { timeout: 10_000 });
  await expect(page.getByTestId('conflict-banner')).toBeVisible();
  await page.getByTestId('conflict-reload').click();
  await expect(page.getByTestId(`node-${node}`)).toContainText('From the second tab');
  await other.close();
});
