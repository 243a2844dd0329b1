import { chromium } from '@playwright/test';
const BASE = 'http://127.0.0.1:3200';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const logs = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') logs.push(`${m.type()}: ${m.text()}`); });
page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
try {
  await page.goto(`${BASE}/workflows`);
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-name').fill(`Explore ${Date.now() % 100000}`);
  await page.getByTestId('new-workflow-submit').click();
  await page.getByTestId('canvas').waitFor();
  await page.waitForTimeout(500);
  for (const k of ['transform', 'condition', 'http.request']) { await page.getByTestId(`palette-item-${k}`).click(); await page.waitForTimeout(100); }
  const ids = await page.locator('[data-testid^="node-"][data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
  console.log('ids', ids);
  // shift-click select two
  await page.getByTestId(`node-${ids[1]}`).click();
  await page.keyboard.down('Shift');
  await page.getByTestId(`node-${ids[2]}`).click();
  await page.keyboard.up('Shift');
  console.log('selected', await page.locator('.react-flow__node.selected').count(), await page.getByTestId('selection-count').textContent().catch(() => null));
  // keyboard copy / paste
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 300 } }).catch(() => {});
  await page.getByTestId(`node-${ids[1]}`).click();
  await page.keyboard.down('Shift');
  await page.getByTestId(`node-${ids[2]}`).click();
  await page.keyboard.up('Shift');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await page.waitForTimeout(400);
  console.log('after paste nodes', await page.locator('[data-testid^="node-"][data-kind]').count());
  await page.keyboard.press('Control+d');
  await page.waitForTimeout(200);
  console.log('after duplicate', await page.locator('[data-testid^="node-"][data-kind]').count());
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(200);
  console.log('after undo', await page.locator('[data-testid^="node-"][data-kind]').count());
  await page.getByTestId('auto-layout').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/shots/layout.png' });
  await page.keyboard.press('?');
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/shots/help.png' });
  await page.keyboard.press('Escape');
  // settings tab
  await page.getByTestId(`node-${ids[3]}`).click();
  await page.getByTestId('node-tab-settings').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/shots/settings.png' });
} catch (e) {
  console.log('ERROR', e.message);
  await page.screenshot({ path: '/tmp/shots/error.png' });
}
console.log(logs.join('\n'));
await browser.close();
