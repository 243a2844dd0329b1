import type pg from 'pg';
import type { Graph } from '@switchyard/workflow';

/** A zod schema, structurally (the worker does not depend on zod itself). */
export interface ConfigParser<Config> {
  safeParse(value: unknown): { success: true; data: Config } | { success: false };
}

/** One trigger node of a workflow's active version, with its parsed config. */
export interface ActiveTrigger<Config> {
  tenantId: string;
  workflowId: string;
  versionId: string;
  nodeId: string;
  config: Config;
}

/**
 * Every trigger node of one kind in every active version (platform-wide, like the run claim: the
 * hosts that watch brokers and folders serve all tenants, and each run is enqueued under its own
 * tenant). Configs that no longer parse are skipped; publishing validates them.
 */
export async function loadActiveTriggers<Config>(pool: pg.Pool, kind: string, schema: ConfigParser<Config>): Promise<Array<ActiveTrigger<Config>>> {
  const { rows } = await pool.query<{ tenant_id: string; workflow_id: string; version_id: string; graph: Graph }>(
    `SELECT w.tenant_id, w.id AS workflow_id, v.id AS version_id, v.graph
       FROM workflows w
       JOIN workflow_versions v ON v.id = w.active_version_id AND v.tenant_id = w.tenant_id
      WHERE w.active_version_id IS NOT NULL AND strpos(v.graph::text, $1) > 0`,
    [JSON.stringify(kind)],
  );
  const out: Array<ActiveTrigger<Config>> = [];
  for (const row of rows) {
    for (const node of row.graph.nodes ?? []) {
      if (node.kind !== kind) continue;
      const config = schema.safeParse(node.config ?? {});
      if (config.success) out.push({ tenantId: row.tenant_id, workflowId: row.workflow_id, versionId: row.version_id, nodeId: node.id, config: config.data });
    }
  }
  return out;
}
