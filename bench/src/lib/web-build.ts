import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { logTail, spawnChild } from './children';

/**
 * The web server runs from a private copy of apps/web's production build (bench/.web), so that
 * another `next build` in apps/web (other jobs share the work tree) cannot replace or delete the
 * build under a running benchmark. The copy sits two folders below the repository root, like
 * apps/web, so the relative symlinks Next writes into .next/node_modules still resolve.
 */

export const WEB_SNAPSHOT = path.join('bench', '.web');

const SKIP = new Set(['cache', 'dev', 'diagnostics', 'lock', 'trace', 'trace-build']);

export async function buildWeb(repoRoot: string, logDir: string, log: (m: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    log(`building apps/web (next build)${attempt > 1 ? `, attempt ${attempt}` : ''}…`);
    const child = spawnChild('next-build', 'pnpm', ['--filter', '@switchyard/web', 'build'], {
      cwd: repoRoot,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      logFile: path.join(logDir, `00-next-build-${attempt}.log`),
    });
    const code = await child.exited;
    if (code === 0) return;
    const tail = await logTail(child.logFile, 30);
    // Another job is building apps/web: Next refuses a second concurrent build, so wait for it.
    if (attempt < 30 && tail.includes('Another next build process is already running')) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      continue;
    }
    throw new Error(`next build failed (exit ${code}):\n${tail}`);
  }
}

/** Copies apps/web's current build into bench/.web; returns its BUILD_ID. Retries while a build is being written. */
export async function snapshotWeb(repoRoot: string, webDir = path.join(repoRoot, 'apps/web')): Promise<string> {
  const target = path.join(repoRoot, WEB_SNAPSHOT);
  for (let attempt = 1; attempt <= 30; attempt++) {
    const buildId = await readFile(path.join(webDir, '.next/BUILD_ID'), 'utf8').catch(() => '');
    if (buildId) {
      await rm(target, { recursive: true, force: true });
      await mkdir(target, { recursive: true });
      await cp(path.join(webDir, '.next'), path.join(target, '.next'), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => !SKIP.has(path.relative(path.join(webDir, '.next'), src).split(path.sep)[0] ?? ''),
      }).catch(() => undefined);
      const copied = await readFile(path.join(target, '.next/BUILD_ID'), 'utf8').catch(() => '');
      // A build that finished or started while copying leaves a mixed copy: take it again.
      const now = await readFile(path.join(webDir, '.next/BUILD_ID'), 'utf8').catch(() => '');
      if (copied && copied === buildId && now === buildId && existsSync(path.join(target, '.next/server'))) {
        for (const file of ['package.json', 'next.config.ts', 'tsconfig.json', 'next-env.d.ts']) {
          if (existsSync(path.join(webDir, file))) await cp(path.join(webDir, file), path.join(target, file));
        }
        await symlink(path.join('..', '..', 'apps', 'web', 'node_modules'), path.join(target, 'node_modules'));
        await writeFile(path.join(target, 'README'), 'A copy of apps/web/.next made by the benchmark (bench/src/lib/web-build.ts); safe to delete.\n');
        return buildId.trim();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  throw new Error('apps/web has no complete production build to copy (another build kept replacing it); run `pnpm --filter @switchyard/web build`.');
}
