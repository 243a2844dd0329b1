/**
 * Drives the UI like a person and saves screenshots of every screen (docs/screenshots). Needs the
 * web app running against a migrated database with a tenant `acme`, and a worker for runs to finish:
 *   BASE=http://127.0.0.1:3000 node apps/web/scripts/take-screenshots.mjs   (OUT overrides docs/screenshots)
 * It creates a new workflow each time (names carry a counter), so use a throwaway database.
 */
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3000';
const OUT = process.env.OUT ?? fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const logs = [];
const log = (...args) => process.stdout.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') logs.push(`${m.type()}: ${m.text()}`); });
page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));

try {
  await page.goto(`${BASE}/workflows`);
  await page.getByTestId('workflows-table').waitFor();
  // Validation error inline
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-submit').click();
  await page.getByTestId('new-workflow-name-error').waitFor();
  log('inline error:', await page.getByTestId('new-workflow-name-error').textContent());
  await page.screenshot({ path: `${OUT}/workflows-new-error.png` });
  const name = `Invoice sync ${Date.now() % 100000}`;
  await page.getByTestId('new-workflow-name').fill(name);
  await page.getByTestId('new-workflow-description').fill('Receives invoices from the billing platform and posts them to the ERP');
  await page.getByTestId('new-workflow-submit').click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]+$/);
  await page.getByTestId('canvas').waitFor();
  await page.waitForTimeout(500);
  // add nodes by click (they land left to right), and one by dragging from the palette
  await page.getByTestId('palette-item-transform').click();
  await page.waitForTimeout(150);
  await page.getByTestId('palette-item-condition').click();
  await page.waitForTimeout(150);
  await page.getByTestId('palette-item-http.request').click();
  await page.waitForTimeout(150);
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  const box = await page.getByTestId('canvas').boundingBox();
  const httpBox = await page.locator('[data-kind="http.request"]').boundingBox();
  await page.getByTestId('palette-item-respond').dragTo(page.getByTestId('canvas'), { targetPosition: { x: httpBox.x - box.x + 100, y: Math.min(box.height - 60, httpBox.y - box.y + 190) } });
  await page.waitForTimeout(300);
  const nodes = await page.locator('[data-testid^="node-"][data-kind]').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-node-id'), kind: e.getAttribute('data-kind') })));
  log('nodes', nodes);
  const id = (k) => nodes.find((n) => n.kind === k).id;
  await page.getByTestId('panel-tab-problems').click();
  await page.screenshot({ path: `${OUT}/designer-unconnected.png` });
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  const connect = async (from, port, to) => {
    await page.getByTestId(`handle-${from}-${port}`).dragTo(page.getByTestId(`handle-${to}-in`));
    await page.waitForTimeout(200);
  };
  await connect('trigger', 'out', id('transform'));
  await connect(id('transform'), 'out', id('condition'));
  await connect(id('condition'), 'true', id('http.request'));
  await connect(id('http.request'), 'out', id('respond'));
  // arrange in two rows by dragging nodes (each drag is one moveNodes operation)
  const dragNodeTo = async (nid, x, y) => {
    const b = await page.getByTestId(`node-${nid}`).boundingBox();
    const sx = b.x + 30, sy = b.y + 14;
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    await page.mouse.move((sx + x) / 2, (sy + y) / 2, { steps: 6 });
    await page.mouse.move(x, y, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(150);
  };
  const tb = await page.getByTestId(`node-${id('transform')}`).boundingBox();
  const cb = await page.getByTestId(`node-${id('condition')}`).boundingBox();
  await dragNodeTo(id('http.request'), tb.x + 30, tb.y + 14 + tb.height + 70);
  await dragNodeTo(id('respond'), cb.x + 30, cb.y + 14 + tb.height + 70);
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  // refused connection: into the trigger
  await page.getByTestId(`handle-${id('http.request')}-out`).dragTo(page.getByTestId(`handle-${id('transform')}-in`));
  await page.waitForTimeout(300);
  const toasts = await page.getByTestId('toast').allTextContents();
  log('toasts', toasts);
  log('edges', await page.locator('.react-flow__edge').count());
  // select http node and edit
  await page.getByTestId(`node-${id('http.request')}`).click();
  await page.getByTestId('panel').waitFor();
  await page.getByTestId('panel-label').fill('Post invoice to ERP');
  await page.getByTestId('field-method').selectOption('GET');
  await page.getByTestId('field-url').fill(`${BASE}/api/health`);
  await page.getByTestId('field-headers-add').click();
  await page.getByTestId('field-headers-key-0').fill('X-Api-Key');
  await page.getByTestId('field-headers-value-0').fill('demo');
  await page.getByTestId(`node-${id('transform')}`).click();
  await page.getByTestId('field-expression').fill('{ "invoice": number, "total": amount }');
  await page.getByTestId(`node-${id('condition')}`).click();
  await page.getByTestId('field-expression').fill('total > 0');
  // undo / redo of a label edit, checked on the node itself
  await page.getByTestId(`node-${id('respond')}`).click();
  await page.getByTestId('panel-label').fill('Reply to caller');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(150);
  log('after undo:', await page.getByTestId(`node-${id('respond')}`).textContent());
  await page.keyboard.press('Control+Shift+z');
  await page.waitForTimeout(150);
  log('after redo:', await page.getByTestId(`node-${id('respond')}`).textContent());
  await page.getByTestId(`node-${id('http.request')}`).click();
  await page.waitForTimeout(300);
  log('problems count', await page.getByTestId('problems-count').count() ? await page.getByTestId('problems-count').textContent() : 0);
  for (const close of await page.locator('[data-testid="toast"] button').all()) await close.click().catch(() => {});
  await page.screenshot({ path: `${OUT}/designer.png` });
  // undo/redo
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(200);
  await page.keyboard.press('Control+Shift+z');
  await page.waitForTimeout(200);
  await page.getByTestId('save-draft').click();
  await page.waitForTimeout(800);
  log('save status', await page.getByTestId('save-status').textContent());
  log('publish disabled?', await page.getByTestId('publish').isDisabled(), await page.getByTestId('publish-disabled-reason').allTextContents());
  await page.getByTestId('publish-note').fill('First version');
  await page.getByTestId('publish').click();
  await page.waitForTimeout(1200);
  await page.getByTestId('panel-tab-versions').click();
  await page.screenshot({ path: `${OUT}/designer-published.png` });
  await page.getByTestId('panel-tab-test').click();
  await page.getByTestId('test-payload').fill('{"number": "INV-1001", "amount": 250}');
  await page.getByTestId('test-run').click();
  await page.getByTestId('test-run-link').waitFor();
  await page.getByTestId('test-payload').fill('{"number": "INV-1002", "amount": 0}');
  await page.getByTestId('test-run').click();
  await page.waitForTimeout(500);
  await page.getByTestId('test-payload').fill('{"number": "INV-1003", "amount": 99}');
  await page.getByTestId('test-run').click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/designer-test.png` });
  await page.getByTestId('test-run-link').click();
  await page.waitForURL(/\/runs\//);
  await page.getByTestId('run-summary').waitFor();
  await page.waitForTimeout(3000);
  const toggles = page.getByTestId('step-toggle');
  if (await toggles.count()) await toggles.nth(Math.min(3, (await toggles.count()) - 1)).click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/run-summary.png` });
  await page.getByTestId('steps-table').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${OUT}/run.png` });
  await page.goto(`${BASE}/runs`);
  await page.getByTestId('runs-table').waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/runs.png` });
  await page.goto(`${BASE}/workflows`);
  await page.getByTestId('workflow-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/workflows.png` });
} catch (e) {
  log('FAILED', e.message);
  process.exitCode = 1;
  await page.screenshot({ path: `${OUT}/failure.png` });
} finally {
  if (logs.length > 0) log(logs.slice(0, 30).join('\n'));
  await browser.close();
}
