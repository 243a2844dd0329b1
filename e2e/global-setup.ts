import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
