import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PLATFORM_POLICY,
  explainPolicy,
  getTenantPolicy,
  getWorkflowPolicy,
  loadTenantResilience,
  migrate,
  openDatabase,
  parseTenantPolicy,
  rateLimitFor,
  resolveEffectivePolicy,
  runDefaults,
  setTenantPolicy,
  setWorkflowPolicy,
  tenantResilience,
  type Database,
} from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

describe('policy inheritance (pure)', () => {
  it('tags every value with the level it came from: platform → tenant → workflow → node', () => {
    const policy = explainPolicy({
      tenant: { retry: { maxAttempts: 5, initialDelayMs: 100 }, timeoutMs: 20_000, maxConcurrentRuns: 8, priority: 3, breaker: { cooldownMs: 5000 } },
      workflow: { retry: { maxAttempts: 4 }, priority: 9 },
      node: { retry: { maxAttempts: 2 } },
    });
    expect(policy.retry.maxAttempts).toEqual({ value: 2, source: 'node' });
    expect(policy.retry.initialDelayMs).toEqual({ value: 100, source: 'tenant' });
    expect(policy.retry.maxDelayMs).toEqual({ value: PLATFORM_POLICY.retry.maxDelayMs, source: 'platform' });
    expect(policy.timeoutMs).toEqual({ value: 20_000, source: 'tenant' });
    expect(policy.maxConcurrentRuns).toEqual({ value: 8, source: 'tenant' });
    expect(policy.priority).toEqual({ value: 9, source: 'workflow' });
    expect(policy.retentionDays).toEqual({ value: PLATFORM_POLICY.retentionDays, source: 'platform' });
    expect(policy.breaker.cooldownMs).toEqual({ value: 5000, source: 'tenant' });
    expect(policy.breaker.failureThreshold).toEqual({ value: PLATFORM_POLICY.breaker.failureThreshold, source: 'platform' });
    expect(policy.rateLimits).toEqual({});
  });

  it('rejects bad policies with the field and what is wrong, including misspelt keys', () => {
    const bad = parseTenantPolicy({ maxConcurrentRuns: 0, rateLimits: { erp: { capacity: 10, refillPerSecond: -1 } }, retyr: {} });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        { path: 'maxConcurrentRuns', message: 'must be at least 1' },
        { path: 'rateLimits.erp.refillPerSecond', message: 'must be greater than 0' },
        expect.objectContaining({ path: '(policy)', message: expect.stringContaining('retyr') }),
      ]),
    );
  });

  it('gives the engine the tenant and workflow defaults, and the guard the tenant resilience', () => {
    expect(runDefaults({ retry: { maxAttempts: 6 }, timeoutMs: 100 }, { timeoutMs: 200 })).toEqual({ retry: { maxAttempts: 6 }, timeoutMs: 200 });
    expect(runDefaults(null, null)).toEqual({ retry: {} });
    // A stored level that no longer parses is ignored, not fatal.
    expect(runDefaults({ timeoutMs: 'soon' }, null)).toEqual({ retry: {} });

    const resilience = tenantResilience({ rateLimits: { erp: { capacity: 5, refillPerSecond: 1 }, '*': { capacity: 50, refillPerSecond: 10 } } });
    expect(rateLimitFor(resilience, 'erp')).toEqual({ key: 'erp', limit: { capacity: 5, refillPerSecond: 1 } });
    expect(rateLimitFor(resilience, 'crm.example.com')).toEqual({ key: 'crm.example.com', limit: { capacity: 50, refillPerSecond: 10 } });
    expect(rateLimitFor(tenantResilience({}), 'erp')).toBeNull();
  });
});

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('policy storage and effective policy (PostgreSQL)', () => {
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

  it('stores overrides per tenant and workflow and explains the effective policy with sources', async () => {
    const ids = await publishWorkflow(db);
    expect(await getTenantPolicy(db.pool, ids.tenantId)).toEqual({});
    expect(await setTenantPolicy(db.pool, ids.tenantId, { retry: { maxAttempts: 5 }, maxConcurrentRuns: 4, rateLimits: { erp: { capacity: 3, refillPerSecond: 1 } } })).toMatchObject({
      status: 'saved',
    });
    expect(await setWorkflowPolicy(db.pool, ids.tenantId, ids.workflowId, { timeoutMs: 5000, retentionDays: 90 })).toMatchObject({ status: 'saved' });
    expect(await getWorkflowPolicy(db.pool, ids.tenantId, ids.workflowId)).toEqual({ timeoutMs: 5000, retentionDays: 90 });

    const tenantOnly = await resolveEffectivePolicy(db.pool, ids.tenantId);
    expect(tenantOnly.status === 'ok' && tenantOnly.policy.timeoutMs).toEqual({ value: PLATFORM_POLICY.timeoutMs, source: 'platform' });

    const result = await resolveEffectivePolicy(db.pool, ids.tenantId, ids.workflowId, { retry: { jitter: 0 } });
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.policy.retry.maxAttempts).toEqual({ value: 5, source: 'tenant' });
    expect(result.policy.retry.jitter).toEqual({ value: 0, source: 'node' });
    expect(result.policy.timeoutMs).toEqual({ value: 5000, source: 'workflow' });
    expect(result.policy.retentionDays).toEqual({ value: 90, source: 'workflow' });
    expect(result.policy.maxConcurrentRuns).toEqual({ value: 4, source: 'tenant' });
    expect(result.policy.rateLimits).toEqual({ erp: { value: { capacity: 3, refillPerSecond: 1 }, source: 'tenant' } });

    expect((await loadTenantResilience(db.pool, ids.tenantId)).rateLimits).toEqual({ erp: { capacity: 3, refillPerSecond: 1 } });
  });

  it("keeps tenants apart: another tenant's workflow is not found, and bad input is refused with issues", async () => {
    const mine = await publishWorkflow(db);
    const theirs = await publishWorkflow(db);
    expect(await resolveEffectivePolicy(db.pool, mine.tenantId, theirs.workflowId)).toEqual({ status: 'not_found', what: 'workflow' });
    expect(await setWorkflowPolicy(db.pool, mine.tenantId, theirs.workflowId, { priority: 1 })).toEqual({ status: 'not_found' });
    expect(await getWorkflowPolicy(db.pool, mine.tenantId, theirs.workflowId)).toBeNull();
    expect(await resolveEffectivePolicy(db.pool, '00000000-0000-4000-8000-000000000000')).toEqual({ status: 'not_found', what: 'tenant' });
    // maxConcurrentRuns is a tenant bulkhead: a workflow cannot set it.
    expect(await setWorkflowPolicy(db.pool, mine.tenantId, mine.workflowId, { maxConcurrentRuns: 100 })).toMatchObject({
      status: 'invalid',
      issues: [{ path: '(policy)', message: expect.stringContaining('maxConcurrentRuns') }],
    });
    await expect(resolveEffectivePolicy(db.pool, 'acme')).rejects.toThrow(/tenantId must be a UUID/);
  });
});
