import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { FileTriggerConfigSchema, type FileTriggerConfig } from '@switchyard/connectors/metadata';
import { enqueueRunWithKeys } from '@switchyard/db';
import type { Logger } from '@switchyard/engine';
import { loadActiveTriggers, type ActiveTrigger } from '../triggers/active-triggers';

export interface FolderWatchOptions {
  pool: pg.Pool;
  /** The platform file root: `<root>/<tenantId>/inbound/<folder>` per trigger. */
  root: string;
  logger: Logger;
  /** How often folders are scanned; default 2 s. */
  pollMs?: number;
  /** A file changed more recently than this may still be being written; default 1 s. */
  settleMs?: number;
  now?: () => number;
}

/** Where a file goes once its run is queued, or when it is refused. */
export const PROCESSED_DIR = '.processed';
export const REJECTED_DIR = '.rejected';

/** `*.csv` → /^[^/]*\.csv$/ (only * and ? are wildcards; the config schema allows nothing else special). */
export function patternToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * Watched folders for `trigger.file`: each settled file becomes one run, keyed by its name and
 * content hash, so a scan repeated after a crash (or by a second worker) finds the run instead of
 * starting another; the file moves to `.processed/` only after the run is committed. A file over the
 * size limit or not valid UTF-8 is moved to `.rejected/` with a `<name>.reason.txt` beside it.
 */
export class FolderWatchHost {
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();

  constructor(private readonly opts: FolderWatchOptions) {}

  async start(): Promise<void> {
    await this.scan();
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(() => this.scan()).catch((err: unknown) => this.opts.logger.warn({ err: String(err) }, 'watched folders: scan failed'));
    }, this.opts.pollMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.scanning.catch(() => undefined);
  }

  /** One pass over every watched folder. */
  async scan(): Promise<void> {
    const triggers = await loadActiveTriggers(this.opts.pool, 'trigger.file', FileTriggerConfigSchema);
    for (const t of triggers) {
      const dir = path.join(this.opts.root, t.tenantId, 'inbound', t.config.folder);
      await mkdir(dir, { recursive: true });
      const match = patternToRegExp(t.config.pattern);
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (!entry.isFile() || entry.name.startsWith('.') || !match.test(entry.name)) continue;
        await this.take(t, dir, entry.name).catch((err: unknown) =>
          this.opts.logger.warn({ tenantId: t.tenantId, workflowId: t.workflowId, file: entry.name, err: String(err) }, 'watched folder: file not taken; will try again'),
        );
      }
    }
  }

  private async take(t: ActiveTrigger<FileTriggerConfig>, dir: string, name: string): Promise<void> {
    const file = path.join(dir, name);
    const info = await stat(file);
    if ((this.opts.now ?? Date.now)() - info.mtimeMs < (this.opts.settleMs ?? 1000)) return;
    const log = { tenantId: t.tenantId, workflowId: t.workflowId, file: name };
    if (info.size > t.config.maxBytes) return this.reject(dir, name, `the file is ${info.size} bytes; the trigger takes at most ${t.config.maxBytes}`, log);
    const bytes = await readFile(file);
    let content: string;
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return this.reject(dir, name, 'the file is not valid UTF-8 text', log);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `file:${name.slice(0, 120)}:${sha256.slice(0, 32)}`;
    const run = await enqueueRunWithKeys(
      this.opts.pool,
      { tenantId: t.tenantId, workflowId: t.workflowId, versionId: t.versionId, trigger: 'file', correlationId: `file-${sha256.slice(0, 24)}`, idempotencyKey: key, payloadHash: sha256, payload: { fileName: name, folder: t.config.folder, bytes: info.size, sha256, content } },
      [name.slice(0, 200)],
    );
    await this.moveAside(dir, PROCESSED_DIR, name);
    this.opts.logger.info({ ...log, runId: run.runId, created: run.created }, 'watched folder: file taken');
  }

  private async reject(dir: string, name: string, reason: string, log: Record<string, unknown>): Promise<void> {
    const moved = await this.moveAside(dir, REJECTED_DIR, name);
    await writeFile(`${moved}.reason.txt`, `${reason}\n`);
    this.opts.logger.warn({ ...log, reason }, 'watched folder: file rejected');
  }

  /** Moves the file into a sub-folder, never over an earlier file of the same name. */
  private async moveAside(dir: string, sub: string, name: string): Promise<string> {
    await mkdir(path.join(dir, sub), { recursive: true });
    let target = path.join(dir, sub, name);
    if (await stat(target).then(() => true, () => false)) target = path.join(dir, sub, `${(this.opts.now ?? Date.now)()}-${name}`);
    try {
      await rename(path.join(dir, name), target);
    } catch (err) {
      // Another worker moved it first: its run is the same run (same key), so there is nothing to do.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return target;
  }
}
