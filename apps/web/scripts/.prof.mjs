import { chromium } from '@playwright/test';
const BASE = 'http://127.0.0.1:3200';
const id = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: 'switchyard-tenant', value: 'acme', url: BASE }]);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const t0 = Date.now();
await page.goto(`${BASE}/workflows/${id}`);
await page.locator('.react-flow__node').first().waitFor({ timeout: 60000 });
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const m1 = await metrics();
console.log('open', Date.now() - t0, 'ms', pick(m1));
function pick(m) { return { script: m.ScriptDuration?.toFixed(2), layout: m.LayoutDuration?.toFixed(2), style: m.RecalcStyleDuration?.toFixed(2), task: m.TaskDuration?.toFixed(2), nodes: m.Nodes }; }
if (process.argv[3]) { await page.addStyleTag({ content: process.argv[3] }); await page.waitForTimeout(500); }
const box = await page.getByTestId('canvas').boundingBox();
const at = await page.evaluate(({ x, y, w, h }) => { for (let py = y + 60; py < y + h - 60; py += 7) for (let px = x + 60; px < x + w - 60; px += 7) if (document.elementFromPoint(px, py)?.classList.contains('react-flow__pane')) return { x: px, y: py }; return null; }, { x: box.x, y: box.y, w: box.width, h: box.height });
const before = await metrics();
const s = Date.now();
await page.mouse.move(at.x, at.y); await page.mouse.down();
for (let i = 0; i < 60; i++) { await page.mouse.move(at.x + Math.sin(i / 10) * 200, at.y + Math.cos(i / 10) * 80); }
await page.mouse.up();
const after = await metrics();
const el = (Date.now() - s) / 1000;
console.log('pan', el.toFixed(2), 's', { script: (after.ScriptDuration - before.ScriptDuration).toFixed(2), layout: (after.LayoutDuration - before.LayoutDuration).toFixed(2), style: (after.RecalcStyleDuration - before.RecalcStyleDuration).toFixed(2), task: (after.TaskDuration - before.TaskDuration).toFixed(2) });
await browser.close();
