import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgRunStore, claimRuns } from '@switchyard/db';
import { callerFor, expectTrpcError, TEST_ACTOR } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph } from './support/graphs';

describe.skipIf(postgresUnavailable !== null)(`deadLetters.discard${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let a: ReturnType<typeof callerFor>;
  let b: ReturnType<typeof callerFor>;
  let wf: { id: string };

  beforeAll(async () => {
    t = await createTestDatabase('api_discard');
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    a = callerFor(t.db, 'acme');
    b = callerFor(t.db, 'globex');
    const { id } = await a.workflows.create({ name: 'Manual' });
    await a.workflows.saveDraft({ id, graph: manualGraph(), expectedRevision: 1 });
    await a.workflows.publish({ id });
    wf = { id };
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function failedRun(code: string) {
    const { runId } = await a.runs.trigger({ workflowId: wf.id, payload: {} });
    const claimed = await claimRuns(t.db.pool, { workerId: 'test', limit: 10, leaseMs: 30_000 });
    const mine = claimed.find((r) => r.id === runId)!;
    const error = { code, message: `${code} from the ledger`, retryable: false, nodeId: 'map' };
    expect(await new PgRunStore(t.db.pool).commit(runId, mine.leaseToken, { steps: [], state: { pending: [], outputs: {}, seq: 1 }, status: 'failed', error })).toBe('ok');
    return runId;
  }

  it('counts, then discards with a reason into the audit log; refuses a blank reason; scoped to the tenant', async () => {
    const gone = await failedRun('http_422');
    const kept = await failedRun('http_503');

    const missingReason = await expectTrpcError(a.deadLetters.discard({ filter: { errorCode: 'http_422' }, dryRun: false, reason: '  ' }), 'BAD_REQUEST');
    expect(missingReason.message).toContain('must say why');

    expect(await b.deadLetters.discard({ filter: {}, dryRun: true, reason: 'x' })).toMatchObject({ count: 0 });
    expect(await a.deadLetters.discard({ filter: { errorCode: 'http_422' }, dryRun: true, reason: 'bad data' })).toEqual({ status: 'dry_run', count: 1, wouldDiscard: 1 });
    expect(await a.deadLetters.discard({ filter: { errorCode: 'http_422' }, dryRun: false, reason: 'bad data' })).toEqual({ status: 'discarded', count: 1, runIds: [gone] });

    expect((await a.deadLetters.list({ limit: 10 })).items.map((l) => l.runId)).toEqual([kept]);
    const audit = await a.audit.list({});
    expect(audit.items.find((e) => e.entityId === gone)).toMatchObject({ action: 'dead_letter.discard', actor: TEST_ACTOR, after: { reason: 'bad data' } });
  });
});
