import { chromium } from '@playwright/test';
const BASE = 'http://127.0.0.1:3200';
const id = process.argv[2];
const mode = process.argv[3] ?? 'open';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: 'switchyard-tenant', value: 'acme', url: BASE }]);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
if (mode === 'open') await cdp.send('Profiler.start');
await page.goto(`${BASE}/workflows/${id}`);
await page.locator('.react-flow__node:not([style*="visibility: hidden"])').first().waitFor({ timeout: 60000 });
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
if (mode !== 'open') {
  await cdp.send('Profiler.start');
  const b = await page.locator('.react-flow__node').nth(300).boundingBox();
  const at = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  await page.mouse.move(at.x, at.y); await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(at.x + Math.sin(i / 10) * 200, at.y + Math.cos(i / 10) * 80);
  await page.mouse.up();
}
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; 
const counts = new Map();
profile.samples.forEach((sid, i) => counts.set(sid, (counts.get(sid) ?? 0) + (dt[i] ?? 0)));
for (const [sid, t] of counts) { const n = byId.get(sid); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + t); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n'));
await browser.close();
