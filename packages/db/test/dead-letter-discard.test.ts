import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkReplay, discardDeadLetters, listDeadLetterGroups, listDeadLetters, migrate, openDatabase, type Database } from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('discarding dead letters (PostgreSQL)', () => {
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

  type Ids = Awaited<ReturnType<typeof publishWorkflow>>;
  /** A run as the run store leaves one that failed for good. */
  async function deadLetter(ids: Ids, code: string): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, trigger_payload, error, dead_lettered_at, dead_letter_reason, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'failed', 'manual', 'corr', '{}'::jsonb, $4::jsonb, now(), 'permanent_error', now(), now())
       RETURNING id`,
      [ids.tenantId, ids.workflowId, ids.versionId, JSON.stringify({ code, message: `${code} happened`, retryable: false })],
    );
    return rows[0]!.id;
  }

  it('counts first, then discards one error group with the reason, writes one audit entry per run, and leaves the rest', async () => {
    const ids = await publishWorkflow(db);
    const a = await deadLetter(ids, 'http_400');
    const b = await deadLetter(ids, 'http_400');
    const kept = await deadLetter(ids, 'http_503');

    expect(await discardDeadLetters(db.pool, ids.tenantId, { errorCode: 'http_400' }, { dryRun: true, reason: 'dup batch', actor: 'anonymous' })).toEqual({
      status: 'dry_run',
      count: 2,
      wouldDiscard: 2,
    });
    // A dry run changes nothing.
    expect((await listDeadLetters(db.pool, ids.tenantId, { limit: 10 })).items).toHaveLength(3);

    const result = await discardDeadLetters(db.pool, ids.tenantId, { errorCode: 'http_400' }, { dryRun: false, reason: '  duplicate batch from ERP  ', actor: 'anonymous' });
    expect(result).toEqual({ status: 'discarded', count: 2, runIds: [a, b].sort() });

    expect((await listDeadLetters(db.pool, ids.tenantId, { limit: 10 })).items.map((i) => i.runId)).toEqual([kept]);
    expect((await listDeadLetterGroups(db.pool, ids.tenantId)).map((g) => g.errorCode)).toEqual(['http_503']);
    expect(await bulkReplay(db.pool, ids.tenantId, {}, { dryRun: true })).toMatchObject({ count: 1 });

    const runs = await db.pool.query('SELECT id, discard_reason, discarded_at IS NOT NULL AS discarded FROM runs WHERE id = ANY($1::uuid[]) ORDER BY id', [[a, b]]);
    expect(runs.rows.map((r) => [r.discard_reason, r.discarded])).toEqual([
      ['duplicate batch from ERP', true],
      ['duplicate batch from ERP', true],
    ]);
    const audit = await db.pool.query(`SELECT entity_id, actor, after FROM audit_log WHERE tenant_id = $1 AND action = 'dead_letter.discard' ORDER BY entity_id`, [ids.tenantId]);
    expect(audit.rows).toEqual([a, b].sort().map((id) => ({ entity_id: id, actor: 'anonymous', after: { reason: 'duplicate batch from ERP', filter: { errorCode: 'http_400' } } })));

    // Discarding again finds nothing: no second audit entry.
    expect(await discardDeadLetters(db.pool, ids.tenantId, { errorCode: 'http_400' }, { dryRun: false, reason: 'again', actor: 'anonymous' })).toEqual({
      status: 'discarded',
      count: 0,
      runIds: [],
    });
  });

  it("refuses an empty reason and never touches another tenant's dead letters", async () => {
    const ids = await publishWorkflow(db);
    const other = await publishWorkflow(db);
    const theirs = await deadLetter(other, 'http_500');
    await expect(discardDeadLetters(db.pool, ids.tenantId, {}, { dryRun: false, reason: '   ', actor: 'anonymous' })).rejects.toThrow(/reason must be 1 to 500 characters/);
    expect(await discardDeadLetters(db.pool, ids.tenantId, {}, { dryRun: false, reason: 'cleanup', actor: 'anonymous' })).toMatchObject({ count: 0 });
    expect((await listDeadLetters(db.pool, other.tenantId, { limit: 10 })).items.map((i) => i.runId)).toEqual([theirs]);
  });
});
