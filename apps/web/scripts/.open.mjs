import { chromium } from '@playwright/test';
const [id] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: 'switchyard-tenant', value: 'acme', url: 'http://127.0.0.1:3200' }]);
const page = await context.newPage();
for (let i = 0; i < 4; i++) {
  await page.goto(`http://127.0.0.1:3200/workflows/${id}`);
  await page.locator('.react-flow__node').first().waitFor({ timeout: 60000 });
  const ms = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
  const nav = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; return { ttfb: Math.round(n.responseStart), dcl: Math.round(n.domContentLoadedEventEnd) }; });
  const res = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.includes('trpc')).map((r) => `${r.name.split('/trpc/')[1].split('?')[0]} ${Math.round(r.startTime)}→${Math.round(r.responseEnd)}`));
  console.log(Math.round(ms), nav, res);
}
await browser.close();
