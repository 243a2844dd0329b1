import { expect, test, type Page } from '@playwright/test';
import { addNode, connect, createWorkflow, fitView, nodeIds, select } from './designer-helpers';

const nodeCount = async (page: Page) => (await nodeIds(page)).length;
const positionOf = (page: Page, id: string) => page.getByTestId(`node-${id}`).locator('xpath=..').getAttribute('style');

test('multi-select, copy/paste, duplicate, delete, undo and redo', async ({ page }) => {
  await createWorkflow(page, `E2E editing ${Date.now()}`);
  const a = await addNode(page, 'transform');
  const b = await addNode(page, 'condition');
  await fitView(page);
  await connect(page, a, 'out', b);

  // Shift-click builds a selection.
  await select(page, a);
  await page.keyboard.down('Shift');
  await page.getByTestId(`node-${b}`).click();
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await expect(page.getByTestId('multi-selection')).toContainText('2 nodes and 0 connections');

  // Copy and paste by keyboard: two new nodes and the edge between them, selected, with fresh ids.
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect.poll(() => nodeCount(page)).toBe(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  const pasted = (await nodeIds(page)).filter((id) => ![a, b, 'trigger'].includes(id));
  expect(pasted).toHaveLength(2);

  // Undo removes the paste in one step; redo brings it back.
  await page.keyboard.press('Control+z');
  await expect.poll(() => nodeCount(page)).toBe(3);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => nodeCount(page)).toBe(5);
  await page.getByTestId('undo').click();
  await expect.poll(() => nodeCount(page)).toBe(3);
  await page.getByTestId('redo').click();
  await expect.poll(() => nodeCount(page)).toBe(5);

  // Delete removes the (pasted) selection; duplicate copies what is selected.
  await page.keyboard.press('Delete');
  await expect.poll(() => nodeCount(page)).toBe(3);
  await select(page, a);
  await page.getByTestId('duplicate-selection').click();
  await expect.poll(() => nodeCount(page)).toBe(4);
  await page.keyboard.press('Control+z');
  await expect.poll(() => nodeCount(page)).toBe(3);

  // Select all, then box selection with Shift-drag over the two cards.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 200 } });
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-count')).toHaveCount(0);
  const boxA = (await page.getByTestId(`node-${a}`).boundingBox())!;
  const boxB = (await page.getByTestId(`node-${b}`).boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(Math.min(boxA.x, boxB.x) - 20, Math.min(boxA.y, boxB.y) - 20);
  await page.mouse.down();
  await page.mouse.move(Math.max(boxA.x + boxA.width, boxB.x + boxB.width) + 20, Math.max(boxA.y + boxA.height, boxB.y + boxB.height) + 20, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('selection-count')).toHaveText(/[23] selected/);

  // Automatic layout moves nodes as one undoable operation.
  const before = await positionOf(page, a);
  await page.getByTestId('auto-layout').click();
  await expect.poll(() => positionOf(page, a)).not.toBe(before);
  await page.keyboard.press('Control+z');
  await expect.poll(() => positionOf(page, a)).toBe(before);
});

test('copies nodes from one workflow and pastes them into another', async ({ page }) => {
  await createWorkflow(page, `E2E copy from ${Date.now()}`);
  const a = await addNode(page, 'http.request');
  await select(page, a);
  await page.getByTestId('panel-label').fill('Create sales order');
  await page.getByTestId('copy-selection').click();
  await expect(page.getByTestId('toast').last()).toContainText('Copied 1 node');
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false');

  await createWorkflow(page, `E2E paste into ${Date.now()}`);
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  await page.keyboard.press('Control+v');
  await expect.poll(() => nodeCount(page)).toBe(2);
  const copy = (await nodeIds(page)).find((id) => id !== 'trigger')!;
  expect(copy).not.toBe(a);
  await expect(page.getByTestId(`node-${copy}`)).toContainText('Create sales order');

  // Text that is not Switchyard graph JSON is refused with the reason; nothing changes.
  await page.evaluate(() => localStorage.setItem('switchyard.designer.clipboard', '{"nodes": "nope"}'));
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  await page.getByTestId('paste').click();
  await expect(page.getByTestId('toast').last()).toContainText('Nothing pasted');
  expect(await nodeCount(page)).toBe(2);
});

test('palette and shortcuts work from the keyboard', async ({ page }) => {
  await createWorkflow(page, `E2E keyboard ${Date.now()}`);
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  await page.keyboard.press('/');
  await expect(page.getByTestId('palette-search')).toBeFocused();
  await page.keyboard.type('delay');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-kind="delay"]')).toHaveCount(1);

  await page.getByTestId('palette-search').fill('');
  await page.getByTestId('palette-search').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('palette-item-trigger.manual')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('palette-item-trigger.webhook')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-kind="trigger.manual"]')).toHaveCount(1);

  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  await page.keyboard.press('Shift+?');
  await expect(page.getByTestId('shortcuts-popover')).toContainText('Duplicate the selection');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-popover')).toHaveCount(0);
  await page.getByTestId('shortcuts-help').click();
  await expect(page.getByTestId('shortcuts-popover')).toBeVisible();
});
