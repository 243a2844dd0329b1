import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_STORAGE_STATE, chromiumLaunchOptions } from './auth';

/**
 * Starts the product exactly as a newcomer would (embedded PGlite, migrations, demo seed, worker,
 * web) in a throwaway data folder, and returns the teardown that stops it and removes the folder.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = Number(new URL(process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100').port);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/start.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      SWITCHYARD_DATA_DIR: dataDir,
      DEMO_RECEIVER_PORT: '0',
      // The first platform admin, created at start; every spec runs signed in as it (storageState).
      SWITCHYARD_ADMIN_EMAIL: ADMIN_EMAIL,
      SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // The status-out spec's portal endpoint (e2e/status-out.spec.ts) listens on this loopback port.
      SWITCHYARD_OUTBOUND_ALLOWLIST: [process.env.SWITCHYARD_OUTBOUND_ALLOWLIST, '127.0.0.1:3181'].filter(Boolean).join(','),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

  const deadline = Date.now() + 90_000;
  let healthy = false;
  while (Date.now() < deadline) {
    const code = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(r, 500))]);
    if (code !== undefined) throw new Error(`the product exited with code ${code} before becoming healthy`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) {
        healthy = true;
        break;
      }
    } catch {
      // not listening yet
    }
  }
  if (!healthy) throw new Error(`the product did not answer /api/health on port ${port} within 90 s`);

  // Sign in through the sign-in page, as a person would, and keep the session cookie for every spec.
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
    await page.goto('/workflows');
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('sign-in-email').fill(ADMIN_EMAIL);
    await page.getByTestId('sign-in-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(/\/workflows/);
    await page.getByTestId('signed-in-email').waitFor();
    mkdirSync(path.dirname(ADMIN_STORAGE_STATE), { recursive: true });
    await page.context().storageState({ path: ADMIN_STORAGE_STATE });
  } finally {
    await browser.close();
  }

  return async () => {
    // The product runs in its own process group: stop the host and its Next.js child together.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!stopped) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
}
