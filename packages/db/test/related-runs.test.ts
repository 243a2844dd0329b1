import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, relatedRuns, type Database } from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('related runs (PostgreSQL)', () => {
  let target: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    target = await postgres.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: 'postgres', poolMax: 4 });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });

  async function insert(ids: { tenantId: string; workflowId: string; versionId: string }, extra: { parent?: string; replayOf?: string; keys?: string[] } = {}) {
    const id = randomUUID();
    await db.pool.query(
      `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, trigger_payload, parent_run_id, replay_of, business_keys, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'succeeded', 'manual', 'c', '{}'::jsonb, $5, $6, $7, now(), now())`,
      [id, ids.tenantId, ids.workflowId, ids.versionId, extra.parent ?? null, extra.replayOf ?? null, extra.keys ?? []],
    );
    return id;
  }

  it('links a run to its caller, its callees, its original, its replays and runs with the same key, within the tenant', async () => {
    const ids = await publishWorkflow(db);
    const parent = await insert(ids, { keys: ['INV-9'] });
    const child = await insert(ids, { parent });
    const replay = await insert(ids, { replayOf: parent });
    const sameKey = await insert(ids, { keys: ['INV-9'] });

    const ofParent = await relatedRuns(db.pool, ids.tenantId, parent);
    expect(ofParent).toMatchObject({ replayOf: null, parent: null });
    expect(ofParent!.children.map((r) => r.id)).toEqual([child]);
    expect(ofParent!.replays.map((r) => r.id)).toEqual([replay]);
    expect(ofParent!.sameKey.map((r) => r.id)).toEqual([sameKey]);

    const ofChild = await relatedRuns(db.pool, ids.tenantId, child);
    expect(ofChild!.parent?.id).toBe(parent);
    expect(ofChild!.children).toEqual([]);

    const other = await publishWorkflow(db);
    expect(await relatedRuns(db.pool, other.tenantId, child)).toBeNull();
  });
});
