import { defineConfig } from '@playwright/test';
import { ADMIN_STORAGE_STATE, chromiumLaunchOptions } from './e2e/auth';

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download its own browser here).
 * The global setup starts the real product (embedded PGlite, worker, web) on a free port and
 * stops it afterwards.
 */
export default defineConfig({
  testDir: './e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: chromiumLaunchOptions,
    // Signed in as the first platform admin by the global setup (through the sign-in page).
    storageState: ADMIN_STORAGE_STATE,
  },
});
