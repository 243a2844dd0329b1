import path from 'node:path';

/** The first platform admin the e2e product starts with (SWITCHYARD_ADMIN_EMAIL / PASSWORD). */
export const ADMIN_EMAIL = 'e2e-admin@switchyard.test';
export const ADMIN_PASSWORD = 'e2e-admin-password-42';
/** The signed-in browser state every spec starts from (written by the global setup; not committed). */
export const ADMIN_STORAGE_STATE = path.join(import.meta.dirname, '.auth', 'admin.json');

/** Debian's Chromium (Playwright cannot download its own browser here). */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
