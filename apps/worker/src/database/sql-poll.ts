import type pg from 'pg';
import { checkConnection, connectionSystems, SqlPollTriggerConfigSchema, type SqlPollTriggerConfig } from '@switchyard/connectors/metadata';
import { sqlError, type SqlPools } from '@switchyard/connectors';
import { enqueueRunWithKeys } from '@switchyard/db';
import type { Logger } from '@switchyard/engine';
import type { ConnectionResolver } from '@switchyard/workflow';
import { loadActiveTriggers, type ActiveTrigger } from '../triggers/active-triggers';

export interface SqlPollOptions {
  pool: pg.Pool;
  sqlPools: SqlPools;
  /** The tenant's connections, decrypted (the same resolver the executors use). */
  connectionsFor: (tenantId: string) => ConnectionResolver;
  logger: Logger;
  /** How often due triggers are looked for; default 1 s (each trigger polls at its own interval). */
  tickMs?: number;
  now?: () => number;
}

const MAX_KEY = 200;

/**
 * `trigger.sql-poll`: runs the trigger's query with the watermark as its one parameter and starts one
 * run per row, keyed by the row's key and watermark value, in watermark order. The watermark is not
 * kept anywhere else: it is the watermark column of the newest run the trigger started, so it
 * advances exactly as far as runs were durably queued. Queries use `>=`, so rows sharing the last
 * watermark value come again and are recognised by their key instead of being skipped.
 */
export class SqlPollHost {
  private readonly lastPoll = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SqlPollOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(async () => void (await this.tick())).catch((err: unknown) => this.opts.logger.warn({ err: String(err) }, 'sql polling: tick failed'));
    }, this.opts.tickMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking.catch(() => undefined);
  }

  /** Polls every trigger whose interval has passed; returns how many runs were started. */
  async tick(force = false): Promise<number> {
    const now = (this.opts.now ?? Date.now)();
    let started = 0;
    for (const t of await loadActiveTriggers(this.opts.pool, 'trigger.sql-poll', SqlPollTriggerConfigSchema)) {
      const key = `${t.workflowId}/${t.nodeId}`;
      if (!force && now - (this.lastPoll.get(key) ?? 0) < t.config.intervalSeconds * 1000) continue;
      this.lastPoll.set(key, now);
      try {
        started += await this.poll(t);
      } catch (err) {
        this.opts.logger.warn({ tenantId: t.tenantId, workflowId: t.workflowId, err: err instanceof Error ? err.message : String(err) }, 'sql polling: poll failed; will try again');
      }
    }
    return started;
  }

  private async watermark(t: ActiveTrigger<SqlPollTriggerConfig>): Promise<string> {
    const { rows } = await this.opts.pool.query<{ mark: string | null }>(
      `SELECT trigger_payload->>$3 AS mark FROM runs
        WHERE tenant_id = $1 AND workflow_id = $2 AND trigger = 'sql-poll'
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [t.tenantId, t.workflowId, t.config.watermarkColumn],
    );
    return rows[0]?.mark ?? t.config.initialWatermark;
  }

  private async poll(t: ActiveTrigger<SqlPollTriggerConfig>): Promise<number> {
    const found = await this.opts.connectionsFor(t.tenantId).get(t.config.connectionId);
    if (!found || (found.kind !== 'postgres' && found.kind !== 'mysql')) throw new Error(`connection ${JSON.stringify(t.config.connectionId)} is not a database connection of this tenant`);
    const checked = checkConnection(connectionSystems[found.kind], found);
    if (!checked.ok) throw new Error(`connection ${found.name} is incomplete: ${checked.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
    const db = await this.opts.sqlPools.get(found.kind, { id: found.id, name: found.name, baseUrl: found.baseUrl, config: checked.config, credentials: checked.credentials });
    const mark = await this.watermark(t);
    let result;
    try {
      result = await db.query(t.config.sql, [mark]);
    } catch (err) {
      throw sqlError(found.name, err);
    }
    let started = 0;
    for (const raw of result.rows) {
      // Dates become ISO strings, so the payload is plain JSON and the watermark round-trips as text.
      const row = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
      const id = row[t.config.keyColumn];
      const at = row[t.config.watermarkColumn];
      if (id === undefined || id === null || at === undefined || at === null) {
        throw new Error(`the query must return the key column ${t.config.keyColumn} and the watermark column ${t.config.watermarkColumn} on every row`);
      }
      const idempotencyKey = `${String(id)}@${String(at)}`.slice(0, MAX_KEY);
      const run = await enqueueRunWithKeys(
        this.opts.pool,
        { tenantId: t.tenantId, workflowId: t.workflowId, versionId: t.versionId, trigger: 'sql-poll', correlationId: `sql-${idempotencyKey}`.slice(0, 100), idempotencyKey, payload: row },
        [String(id).slice(0, MAX_KEY)],
      );
      if (run.created) started += 1;
    }
    return started;
  }
}
