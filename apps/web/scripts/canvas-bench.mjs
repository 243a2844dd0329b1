/**
 * Designer canvas benchmark: a graph of 1,000 nodes and 1,000 edges in real Chromium.
 *
 *   BASE=http://127.0.0.1:3000 node apps/web/scripts/canvas-bench.mjs  [--runs 3] [--out report.json]
 *
 * Needs the product running (embedded default is fine) with a tenant `acme` (TENANT overrides).
 * Reports, as JSON:
 * - canvas.open_1000_ms: navigation start → the first frame showing measured cards, plus one more
 *   painted frame (timed in the page with requestAnimationFrame), median of the runs. Includes
 *   loading the page, fetching the 1,000-node draft over tRPC, validating it in the browser and
 *   React Flow measuring the cards. Large graphs open at 75 % zoom on their trigger.
 * - canvas.fps_1000: frames per second while a node is dragged (requestAnimationFrame callbacks
 *   counted in the page over ~2 s of mouse moves every 16 ms), as opened; canvas.fps_1000_pan the
 *   same while the canvas is panned by dragging its background; *_fitted after "zoom to fit"
 *   (all thousand nodes in view, drawn at the lowest level of detail).
 * - canvas.save_ms: the click on "Save draft" → the toolbar says saved (timed in the page):
 *   serialising the graph, the tRPC round trip, server-side validation and the database write
 *   (median of 5 saves, each after moving a node).
 */
import { chromium } from '@playwright/test';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3000';
const TENANT = process.env.TENANT ?? 'acme';
const args = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const RUNS = Number(argValue('--runs', '3'));
const OUT = argValue('--out', null);
const NODES = 1000;

/** Trigger plus 999 transforms; each node hangs off node ⌊(i−1)/2⌋, plus one error-port edge: 1,000 edges, no cycle. */
function bigGraph() {
  const nodes = [{ id: 'n0', kind: 'trigger.webhook', label: 'Incoming', position: { x: 0, y: 0 }, config: { path: 'bench-canvas' } }];
  for (let i = 1; i < NODES; i++) {
    nodes.push({ id: `n${i}`, kind: 'transform', label: `Step ${i}`, position: { x: (i % 40) * 240, y: Math.floor(i / 40) * 130 }, config: { expression: `{ "step": ${i} }` } });
  }
  const edges = [];
  for (let i = 1; i < NODES; i++) edges.push({ id: `e${i}`, source: `n${Math.floor((i - 1) / 2)}`, sourcePort: 'out', target: `n${i}` });
  edges.push({ id: 'e-error', source: 'n1', sourcePort: 'error', target: 'n4' });
  return { schemaVersion: 1, nodes, edges, settings: {} };
}

async function trpc(request, path, input) {
  const res = await request.post(`${BASE}/api/trpc/${path}`, { data: { json: input }, headers: { 'x-switchyard-tenant': TENANT } });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${JSON.stringify(body).slice(0, 300)}`);
  return body.result.data.json;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Counts requestAnimationFrame callbacks while `drive` runs; returns frames per second. */
async function measureFps(page, drive) {
  await page.evaluate(() => {
    window.__frames = 0;
    window.__counting = true;
    const tick = () => {
      if (!window.__counting) return;
      window.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.__fpsStart = performance.now();
  });
  await drive();
  return page.evaluate(() => {
    window.__counting = false;
    const seconds = (performance.now() - window.__fpsStart) / 1000;
    return window.__frames / seconds;
  });
}

/** Moves the mouse from `from` by (dx, dy) over `ms`, one move per 16 ms, button held. */
async function paced(page, from, dx, dy, ms = 2000) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = Math.round(ms / 16);
  const started = Date.now();
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    // Back and forth, so the node or view stays on screen.
    const k = Math.sin(t * Math.PI * 2);
    await page.mouse.move(from.x + dx * k, from.y + dy * k);
    const wait = started + i * 16 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await page.mouse.up();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: 'switchyard-tenant', value: TENANT, url: BASE }]);
const page = await context.newPage();

const graph = bigGraph();
const { id } = await trpc(page.request, 'workflows.create', { name: `Canvas bench ${Date.now()}` });
await trpc(page.request, 'workflows.saveDraft', { id, graph, expectedRevision: 1 });

// Warm-up: the first load compiles nothing in production but fills caches (fonts, chunks).
await page.goto(`${BASE}/workflows/${id}`);
await page.locator('.react-flow__node:not([style*="visibility: hidden"])').first().waitFor({ timeout: 60_000 });

// Measured inside the page, from navigation start: the first frame in which a card is on screen and
// measured (React Flow shows cards once it has measured them), plus one more frame painted after it,
// so the main thread is free again. Polling from the test runner would add its own latency.
await page.addInitScript(() => {
  const check = () => {
    const shown = [...document.querySelectorAll('.react-flow__node')].some((el) => el.style.visibility !== 'hidden');
    if (shown) requestAnimationFrame(() => (window.__interactiveAt = performance.now()));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
});
const opens = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto(`${BASE}/workflows/${id}`);
  await page.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 60_000, polling: 100 });
  opens.push(await page.evaluate(() => window.__interactiveAt));
}

/** Drag and pan frame rates in the current view. */
async function frameRates() {
  const canvas = await page.getByTestId('canvas').boundingBox();
  const box = { x: canvas.x, y: canvas.y, w: canvas.width, h: canvas.height };
  // A visible node near the middle of the canvas, grabbed at its centre.
  const grab = await page.evaluate(({ x, y, w, h }) => {
    const nodes = [...document.querySelectorAll('.react-flow__node')].map((el) => el.getBoundingClientRect());
    const inside = nodes.filter((r) => r.x > x + 100 && r.y > y + 100 && r.right < x + w - 100 && r.bottom < y + h - 100);
    const r = inside[Math.floor(inside.length / 2)] ?? nodes[0];
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, box);
  const drag = await measureFps(page, () => paced(page, grab, 120, 60));
  // Pan: drag the background (a point where the pane, not a node, is under the pointer).
  const panAt = await page.evaluate(({ x, y, w, h }) => {
    for (let py = y + 60; py < y + h - 60; py += 7) {
      for (let px = x + 60; px < x + w - 60; px += 7) {
        if (document.elementFromPoint(px, py)?.classList.contains('react-flow__pane')) return { x: px, y: py };
      }
    }
    return null;
  }, box);
  const pan = panAt ? await measureFps(page, () => paced(page, panAt, 250, 120)) : null;
  const rendered = await page.locator('.react-flow__node').count();
  return { drag: Math.round(drag * 10) / 10, pan: pan === null ? null : Math.round(pan * 10) / 10, rendered };
}

// As opened (large graphs open at 75 % zoom on their trigger), then with everything fitted in view.
const opened = await frameRates();
await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
await page.keyboard.press('Shift+1');
await page.waitForTimeout(800);
const fitted = await frameRates();

// Save round trips: an edit (the drag above left the draft dirty), then "Save draft" until saved.
/** Drags the node a little and leaves it there: one moveNodes edit. */
async function nudge(i) {
  const b = await page.locator('.react-flow__node').nth(3).boundingBox();
  const c = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  await page.mouse.move(c.x, c.y);
  await page.mouse.down();
  await page.mouse.move(c.x + 10, c.y + 8, { steps: 4 });
  await page.mouse.move(c.x + (i % 2 ? -16 : 16), c.y + 16, { steps: 4 });
  await page.mouse.up();
}
const saves = [];
for (let i = 0; i < 5; i++) {
  if ((await page.getByTestId('save-status').getAttribute('data-dirty')) !== 'true') await nudge(i);
  await page.getByTestId('save-status').and(page.locator('[data-dirty="true"]')).waitFor();
  await page.waitForTimeout(300);
  // Timed in the page: the click event to the mutation that marks the draft saved.
  const timing = page.evaluate(
    () =>
      new Promise((resolve) => {
        const button = document.querySelector('[data-testid="save-draft"]');
        const status = document.querySelector('[data-testid="save-status"]');
        let started = 0;
        button.addEventListener('click', () => (started = performance.now()), { capture: true, once: true });
        const observer = new MutationObserver(() => {
          if (started && status.getAttribute('data-dirty') === 'false') {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        });
        observer.observe(status, { attributes: true, childList: true, subtree: true, characterData: true });
      }),
  );
  await page.getByTestId('save-draft').click();
  saves.push(Math.round(await timing));
}

const report = {
  method: 'Playwright + Debian Chromium (headless, --disable-gpu), 1440×900; see the header of apps/web/scripts/canvas-bench.mjs',
  graph: { nodes: graph.nodes.length, edges: graph.edges.length, renderedAsOpened: opened.rendered, renderedFitted: fitted.rendered },
  'canvas.open_1000_ms': Math.round(median(opens)),
  'canvas.fps_1000': opened.drag,
  'canvas.fps_1000_pan': opened.pan,
  'canvas.fps_1000_fitted': fitted.drag,
  'canvas.fps_1000_fitted_pan': fitted.pan,
  'canvas.save_ms': Math.round(median(saves)),
  samples: { openMs: opens.map(Math.round), saveMs: saves },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (OUT) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(OUT, `${JSON.stringify(report, null, 2)}\n`);
}
await browser.close();
