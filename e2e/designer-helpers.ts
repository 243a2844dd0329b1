import { expect, type Page } from '@playwright/test';

/** Shared steps of the designer specs: everything goes through the UI, as a person would. */

export async function createWorkflow(page: Page, name: string): Promise<string> {
  await page.goto('/workflows');
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-name').fill(name);
  await page.getByTestId('new-workflow-submit').click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('node-trigger')).toBeVisible();
  return page.url().split('/').pop()!;
}

export async function nodeIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="node-"][data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')!));
}

/** Adds a node by clicking its palette item; returns the new node's id. */
export async function addNode(page: Page, kind: string): Promise<string> {
  const before = new Set(await nodeIds(page));
  await page.getByTestId(`palette-item-${kind}`).click();
  await expect.poll(async () => (await nodeIds(page)).length).toBe(before.size + 1);
  return (await nodeIds(page)).find((id) => !before.has(id))!;
}

export async function fitView(page: Page): Promise<void> {
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(350);
}

/** Drags from an output port to a node's input, like a person connecting two cards. */
export async function connect(page: Page, from: string, port: string, to: string): Promise<void> {
  const edges = await page.locator('.react-flow__edge').count();
  await page.getByTestId(`handle-${from}-${port}`).hover();
  await page.mouse.down();
  const box = await page.getByTestId(`handle-${to}-in`).boundingBox();
  if (!box) throw new Error(`input handle of ${to} is not visible`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(edges + 1);
}

export async function select(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).click();
  await expect(page.getByTestId('panel')).toHaveAttribute('data-node-id', id);
}

export async function setLabel(page: Page, id: string, label: string): Promise<void> {
  await select(page, id);
  await page.getByTestId('node-tab-config').click();
  await page.getByTestId('panel-label').fill(label);
}

export async function setField(page: Page, id: string, field: string, value: string): Promise<void> {
  await select(page, id);
  await page.getByTestId('node-tab-config').click();
  await page.getByTestId(`field-${field}`).fill(value);
}

/**
 * Trigger → Shape (transform) → Check (condition: amount > 100) → true: Big order, false: Small
 * order → Post (HTTP) whose error port goes to Handle failure. Returns the node ids by role.
 */
export async function buildBranchingWorkflow(page: Page) {
  const shape = await addNode(page, 'transform');
  const check = await addNode(page, 'condition');
  const big = await addNode(page, 'transform');
  const small = await addNode(page, 'transform');
  const post = await addNode(page, 'http.request');
  const handle = await addNode(page, 'transform');
  await page.getByTestId('auto-layout').click();
  await page.waitForTimeout(600);
  await fitView(page);
  await setLabel(page, shape, 'Shape');
  await setField(page, shape, 'expression', '{ "amount": amount }');
  await setLabel(page, check, 'Check amount');
  await setField(page, check, 'expression', 'amount > 100');
  await setLabel(page, big, 'Big order');
  await setField(page, big, 'expression', '{ "size": "big", "amount": amount }');
  await setLabel(page, small, 'Small order');
  await setField(page, small, 'expression', '{ "size": "small", "amount": amount }');
  await setLabel(page, post, 'Post to ERP');
  // Nothing listens on port 9: the call fails and the error port takes over.
  await setField(page, post, 'url', 'http://127.0.0.1:9/orders');
  await setLabel(page, handle, 'Handle failure');
  await setField(page, handle, 'expression', '{ "failed": true, "reason": error.message }');
  // Fewer attempts, so the failing call gives up quickly in the test run.
  await select(page, post);
  await page.getByTestId('node-tab-settings').click();
  await page.getByTestId('policy-max-attempts').fill('1');
  await page.getByTestId('node-tab-config').click();

  await connect(page, 'trigger', 'out', shape);
  await connect(page, shape, 'out', check);
  await connect(page, check, 'true', big);
  await connect(page, check, 'false', small);
  await connect(page, small, 'out', post);
  await connect(page, post, 'error', handle);
  await page.getByTestId('auto-layout').click();
  await page.waitForTimeout(600);
  await fitView(page);
  await expect(page.getByTestId('problems-count')).toHaveCount(0);
  return { shape, check, big, small, post, handle };
}
