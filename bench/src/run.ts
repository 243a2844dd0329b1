/**
 * `pnpm bench` / `pnpm bench:smoke`: throughput, latency and cost per run of Switchyard on this
 * machine, against a disposable PostgreSQL database the harness creates and drops. Writes
 * bench/report.{json,md} (smoke runs: bench/.tmp/). Exits 1 when a scenario crashes (not when a
 * target is missed), 2 on bad usage or a refused database.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase, type Database } from '@switchyard/db';
import { UsageError, parseBenchArgs } from './lib/args';
import { killAllSync, stopAll } from './lib/children';
import {
  DEFAULT_SERVER_URL,
  RefusedDatabaseError,
  assertDisposable,
  createBenchDatabase,
  refuseForeignDatabaseUrl,
  type BenchDatabase,
} from './lib/database';
import { describeMachine, describeVersions, postgresSettings } from './lib/machine';
import { renderMarkdown, type ReportJson, type RunNotes } from './lib/render';
import { notMeasured, type ResultEntry, type Scenario, type Section, type Shared } from './lib/report';
import { seedBench } from './lib/seed';
import { FULL, SMOKE } from './lib/sizes';
import { Stack } from './lib/stack';
import { WEB_SNAPSHOT, buildWeb, snapshotWeb } from './lib/web-build';
import { ceiling } from './scenarios/ceiling';
import { claimPlan } from './scenarios/claim-plan';
import { cost } from './scenarios/cost';
import { endToEnd } from './scenarios/end-to-end';
import { ingest } from './scenarios/ingest';
import { ingestDirect } from './scenarios/ingest-direct';
import { profile } from './scenarios/profile';
import { scaleout } from './scenarios/scaleout';
import { stepMemory } from './scenarios/step-memory';
import { stepPersisted } from './scenarios/step-persisted';
import { synchronous } from './scenarios/synchronous';
import { history } from './scenarios/history';

/** In the order they run: each later one may use figures of an earlier one (Shared). */
const SCENARIOS: Record<string, Scenario> = {
  'step-memory': stepMemory,
  'step-persisted': stepPersisted,
  ingest,
  'ingest-direct': ingestDirect,
  sync: synchronous,
  e2e: endToEnd,
  'claim-plan': claimPlan,
  cost,
  scaleout,
  ceiling,
  profile,
  // Last: it seeds a million runs that it leaves in the database (the harness drops it at the end).
  history,
};

/**
 * The designer's canvas figures: bench/src/scenarios/canvas.ts measures them in Chromium, but it is
 * not registered yet because its open-time probe times out against the current designer (the
 * second load never reports the canvas interactive); until that is fixed they are reported as not measured.
 */
const CANVAS_PENDING = 'the canvas scenario (bench/src/scenarios/canvas.ts) is not run yet: its open-time probe times out against the current designer';
const ELSEWHERE: ResultEntry[] = [
  notMeasured('canvas.open_1000_ms', 'ms', CANVAS_PENDING),
  notMeasured('canvas.fps_1000', 'fps', CANVAS_PENDING),
  notMeasured('canvas.save_ms', 'ms', CANVAS_PENDING),
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

let benchDb: BenchDatabase | null = null;
let database: Database | null = null;
let cleaning: Promise<void> | null = null;
/** Set on Ctrl-C: scenarios that fail because their servers were stopped are not reported. */
let interrupted = false;

/** Ends every child, closes the pool and drops the database; safe to call more than once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stopAll().catch(() => undefined);
    await database?.close().catch(() => undefined);
    if (benchDb) {
      await benchDb.drop().then(
        () => log(`dropped database ${benchDb?.name}`),
        (err: unknown) => log(`could not drop database ${benchDb?.name}: ${(err as Error).message}`),
      );
    }
  })();
  return cleaning;
}

function installExitHandlers(serverUrl: string): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping the servers and dropping the database`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // Last resort when the process ends without cleanup having finished (it cannot await here).
  process.once('exit', () => {
    killAllSync();
    if (benchDb && !cleaning) {
      spawnSync('psql', [serverUrl, '-c', `DROP DATABASE IF EXISTS ${benchDb.name} WITH (FORCE)`], { stdio: 'ignore' });
    }
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  const args = parseBenchArgs(process.argv.slice(2), Object.keys(SCENARIOS));
  refuseForeignDatabaseUrl(process.env);
  const serverUrl = process.env.BENCH_PG_URL?.trim() || DEFAULT_SERVER_URL;
  const sizes = args.smoke ? SMOKE : FULL;
  const benchDir = path.join(repoRoot, 'bench');
  // Only a complete full run replaces the committed report; smoke and partial runs go to .tmp/.
  const outDir = args.smoke || args.only.length > 0 ? path.join(benchDir, '.tmp') : benchDir;
  const logDir = path.join(benchDir, '.tmp', 'logs');
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  installExitHandlers(serverUrl);
  // The web server and workers encrypt webhook signing secrets with this key: one per run, shared
  // by every process the harness starts (they inherit the environment).
  process.env.SWITCHYARD_SECRET_KEY ||= randomBytes(32).toString('base64');
  // The product limits each tenant's webhooks (default 50/s); the benchmark measures the capacity
  // behind that limit, so it lifts it for its own processes (the bucket is still taken per request).
  process.env.SWITCHYARD_INGRESS_RATE_LIMIT = '1000000/1000000';
  const loadAverageAtStart = os.loadavg();

  // BENCH_WEB_DIR: benchmark the production build of apps/web in another checkout (e.g. a clean
  // worktree of a commit) instead of building this one, which other jobs may be changing.
  const webBuildDir = process.env.BENCH_WEB_DIR?.trim();
  if (webBuildDir) {
    if (!existsSync(path.join(webBuildDir, '.next/BUILD_ID'))) throw new UsageError(`BENCH_WEB_DIR=${webBuildDir} has no production build (.next/BUILD_ID)`);
  } else if (args.build === true || !existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) await buildWeb(repoRoot, logDir, log);
  const buildId = await snapshotWeb(repoRoot, webBuildDir || undefined);
  log(`web build ${buildId} copied to ${WEB_SNAPSHOT}`);

  benchDb = await createBenchDatabase(serverUrl);
  log(`created database ${benchDb.name}`);
  await assertDisposable(benchDb.url, benchDb.marker);
  await migrate(benchDb.url);
  database = await openDatabase({ url: benchDb.url, poolMax: 10, applicationName: 'switchyard-bench' });
  const stack = new Stack({ repoRoot, benchDir, outDir, logDir }, sizes, database, benchDb.url, log);
  await stack.startReceiver();
  stack.seed = await seedBench(database.prisma, stack.receiverUrl);

  const machine = await describeMachine(database.pool);
  const settings = await postgresSettings(database.pool);
  const shared: Shared = {};
  const results: ResultEntry[] = [];
  const sections: Section[] = [];
  const crashed: RunNotes['crashed'] = [];
  const chosen = Object.entries(SCENARIOS).filter(([name]) => args.only.length === 0 || args.only.includes(name));
  for (const [name, scenario] of chosen) {
    if (interrupted) break;
    await assertDisposable(benchDb.url, benchDb.marker);
    const t0 = Date.now();
    log(`scenario ${name}…`);
    try {
      const out = await scenario.run({ stack, smoke: args.smoke, shared });
      results.push(...out.results);
      sections.push(...out.sections);
      log(`scenario ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${out.results.map((r) => `${r.id}=${r.value}`).join(', ')}`);
    } catch (err) {
      if (interrupted) break;
      const message = err instanceof Error ? err.message : String(err);
      log(`scenario ${name} CRASHED: ${err instanceof Error ? err.stack : message}`);
      crashed.push({ scenario: name, error: message.split('\n')[0] ?? message });
      for (const id of scenario.ids) results.push(notMeasured(id, '', `scenario ${name} crashed: ${message.split('\n')[0]}`));
    } finally {
      await stack.stopWorkers().catch(() => undefined);
    }
  }
  // An interrupted run writes no report: a partial one must not replace the last complete figures.
  if (interrupted) return 130;
  await stack.stopWeb();
  results.push(...ELSEWHERE);

  const report: ReportJson = { machine, versions: describeVersions(repoRoot), results };
  const notes: RunNotes = {
    mode: args.smoke ? 'smoke' : 'full',
    startedAt: new Date(started).toISOString(),
    durationS: (Date.now() - started) / 1000,
    loadAverageAtStart,
    postgresSettings: settings,
    crashed,
  };
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(outDir, 'report.md'), renderMarkdown(report, notes, sections));
  log(`wrote ${path.relative(repoRoot, path.join(outDir, 'report.md'))} and report.json in ${Math.round(notes.durationS)} s`);
  if (crashed.length > 0) log(`${crashed.length} scenario(s) crashed: ${crashed.map((c) => c.scenario).join(', ')}`);
  return crashed.length > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(interrupted ? 130 : code);
  })
  .catch(async (err: unknown) => {
    if (interrupted) {
      await cleanup();
      process.exit(130);
    }
    const usage = err instanceof UsageError || err instanceof RefusedDatabaseError;
    process.stderr.write(`${usage ? '' : 'bench failed: '}${err instanceof Error ? (usage ? err.message : err.stack) : String(err)}\n`);
    await cleanup();
    process.exit(usage ? 2 : 1);
  });
