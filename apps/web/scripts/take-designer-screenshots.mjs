/**
 * Screenshots of the designer's editing, settings, test-run, version and import screens
 * (docs/screenshots/designer-*.png), driven through the UI like the e2e specs. Needs the product
 * running with a tenant `acme` and its worker (test runs must finish):
 *   BASE=http://127.0.0.1:3000 node apps/web/scripts/take-designer-screenshots.mjs   (OUT overrides the folder)
 */
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3000';
const OUT = process.env.OUT ?? fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: 'switchyard-tenant', value: 'acme', url: BASE }]);
const page = await context.newPage();
page.setDefaultTimeout(60_000);
const shot = async (name) => {
  // Toasts of earlier steps would cover the panel.
  await page.evaluate(() => document.querySelectorAll('[data-testid="toast"] button').forEach((b) => b.click()));
  await page.screenshot({ path: `${OUT}/${name}.png` });
};
const pause = (ms) => page.waitForTimeout(ms);

const nodeIds = () => page.locator('[data-testid^="node-"][data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
async function addNode(kind) {
  const before = new Set(await nodeIds());
  await page.getByTestId(`palette-item-${kind}`).click();
  await pause(150);
  return (await nodeIds()).find((id) => !before.has(id));
}
async function fit() {
  await page.locator('.react-flow__controls-fitview').click();
  await pause(400);
}
/** Fit, then one step closer (the graph's ends may leave the view; the middle is readable). */
async function closer() {
  await fit();
  await page.locator('.react-flow__controls-zoomin').click();
  await pause(400);
}
async function select(id) {
  await page.getByTestId(`node-${id}`).click();
  await page.getByTestId('panel').waitFor();
}
async function configure(id, label, field, value) {
  await select(id);
  await page.getByTestId('node-tab-config').click();
  await page.getByTestId('panel-label').fill(label);
  if (field) await page.getByTestId(`field-${field}`).fill(value);
}
async function connect(from, port, to) {
  await page.getByTestId(`handle-${from}-${port}`).hover();
  await page.mouse.down();
  const box = await page.getByTestId(`handle-${to}-in`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await pause(150);
}

try {
  await page.goto(`${BASE}/workflows`);
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-name').fill(`Order routing ${Date.now() % 100000}`);
  await page.getByTestId('new-workflow-submit').click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]+$/);
  await page.getByTestId('node-trigger').waitFor();
  await pause(400);

  const shape = await addNode('transform');
  const check = await addNode('condition');
  const big = await addNode('http.request');
  const small = await addNode('transform');
  const handle = await addNode('transform');
  await page.getByTestId('auto-layout').click();
  await pause(700);
  await fit();
  await configure(shape, 'Shape order', 'expression', '{ "order": id, "amount": $sum(lines.amount) }');
  await configure(check, 'Large order?', 'expression', 'amount > 1000');
  await configure(big, 'Create sales order', 'url', 'http://127.0.0.1:9/sales-orders');
  await configure(small, 'Queue for batch', 'expression', '{ "batch": true, "order": order }');
  await configure(handle, 'Alert finance', 'expression', '{ "alert": error.message, "order": input.order }');
  await connect('trigger', 'out', shape);
  await connect(shape, 'out', check);
  await connect(check, 'true', big);
  await connect(check, 'false', small);
  await connect(big, 'error', handle);
  await page.getByTestId('auto-layout').click();
  await pause(700);
  await closer();

  // Settings: retry override, inherited placeholders, error port, compensation.
  await select(big);
  await page.getByTestId('node-tab-settings').click();
  await page.getByTestId('policy-max-attempts').fill('1');
  await page.getByTestId('policy-timeout').fill('5000');
  await page.getByTestId('compensation-kind').selectOption('http.request');
  await page.getByTestId('compensation-form').getByTestId('field-url').fill('http://127.0.0.1:9/sales-orders/cancel');
  await page.getByTestId('compensation-form').getByTestId('field-method').selectOption('DELETE');
  await pause(200);
  await shot('designer-node-settings');

  // Test run of the draft: statuses on the canvas, the selected node's input and output.
  await page.getByTestId('panel-tab-test').click();
  await page.getByTestId('test-payload').fill('{ "id": "SO-1042", "lines": [{ "amount": 900 }, { "amount": 450 }] }');
  await page.getByTestId('test-run').click();
  await page.locator('[data-testid="test-run-status"]:not([data-status="queued"]):not([data-status="running"])').waitFor({ timeout: 30_000 });
  await pause(300);
  await select(handle);
  await page.getByTestId('node-tab-run').click();
  await pause(200);
  await shot('designer-test-run');
  await select(shape);
  await page.getByTestId('pin-output').click();
  await pause(200);
  await shot('designer-pinned-output');

  // Multi-selection and the shortcuts popover.
  await page.keyboard.down('Shift');
  await page.getByTestId(`node-${check}`).click();
  await page.getByTestId(`node-${small}`).click();
  await page.keyboard.up('Shift');
  await page.getByTestId('shortcuts-help').click();
  await pause(200);
  await shot('designer-shortcuts');
  await page.keyboard.press('Escape');

  // Two versions, their diff, and the history with rollback.
  await page.getByTestId('publish-note').fill('Route large orders to the ERP');
  await page.getByTestId('publish').click();
  await page.getByTestId('toast').filter({ hasText: 'Published version 1' }).waitFor();
  await configure(check, 'Large order?', 'expression', 'amount > 500');
  await configure(small, 'Queue for nightly batch', 'expression', '{ "batch": "nightly", "order": order }');
  const reply = await addNode('respond');
  await fit();
  await connect(small, 'out', reply);
  await page.getByTestId('publish-note').fill('Lower threshold; nightly batch; reply');
  await page.getByTestId('publish').click();
  await page.getByTestId('toast').filter({ hasText: 'Published version 2' }).waitFor();
  await page.getByTestId('panel-tab-versions').click();
  await page.getByTestId('rollback-1').click();
  await pause(200);
  await shot('designer-versions');
  await page.getByTestId('rollback-confirm-box').getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('compare-pick-1').check();
  await page.getByTestId('compare-pick-2').check();
  await page.getByTestId('compare-versions').click();
  await page.getByTestId('diff-view').waitFor();
  await pause(600);
  await page.locator(`[data-testid="diff-node"][data-node-id="${check}"] button`).click();
  await pause(200);
  await shot('designer-diff');
  await page.getByTestId('diff-close').click();

  // A hostile import: the errors, and nothing changed.
  await page.getByTestId('import-file').setInputFiles({
    name: 'suspicious.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        schemaVersion: 1,
        nodes: [
          { id: 'a', kind: 'shell.exec', label: '<script>fetch("//evil")</script>', config: {} },
          { id: 'a', kind: 'transform', config: { expression: '$' } },
        ],
        edges: [{ id: 'e', source: 'a', target: 'ghost' }],
        settings: {},
      }),
    ),
  });
  await page.getByTestId('import-errors').waitFor();
  await pause(200);
  await shot('designer-import-errors');
} catch (error) {
  process.stdout.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await shot('designer-screenshot-failure');
  process.exitCode = 1;
}
await browser.close();
