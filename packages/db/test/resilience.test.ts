import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admitBreakerCall,
  checkBreaker,
  closedBreaker,
  listBreakers,
  migrate,
  openDatabase,
  recordBreakerOutcome,
  recordBreakerSuccesses,
  applyBreakerOutcome,
  takeToken,
  type BreakerPolicy,
  type Database,
} from '../src/index';
import { backends, publishWorkflow, sleep, type TestDatabase } from './support';

const policy: BreakerPolicy = { failureThreshold: 3, failureRatio: 0.5, minimumCalls: 6, cooldownMs: 300, windowMs: 60_000 };

describe('breaker transitions (pure)', () => {
  it('opens on consecutive failures, then lets one trial through after the cooldown', () => {
    let row = closedBreaker(0);
    for (const t of [1, 2]) row = applyBreakerOutcome(row, policy, t, false);
    expect(row.state).toBe('closed');
    row = applyBreakerOutcome(row, policy, 3, false);
    expect(row).toMatchObject({ state: 'open', openedAt: 3 });
    expect(admitBreakerCall(row, policy, 100, 1000).decision).toEqual({ allowed: false, state: 'open', retryAfterMs: 203 });
    const trial = admitBreakerCall(row, policy, 303, 1000);
    expect(trial.decision).toEqual({ allowed: true, trial: true });
    expect(admitBreakerCall(trial.next!, policy, 310, 1000).decision).toMatchObject({ allowed: false, state: 'half_open' });
    expect(applyBreakerOutcome(trial.next!, policy, 320, true).state).toBe('closed');
    expect(applyBreakerOutcome(trial.next!, policy, 320, false)).toMatchObject({ state: 'open', openedAt: 320 });
  });

  it('opens on the failure ratio once the minimum number of calls was made in the window', () => {
    let row = closedBreaker(0);
    const outcomes = [true, false, true, false, true, false];
    outcomes.forEach((ok, i) => (row = applyBreakerOutcome(row, policy, i + 1, ok)));
    expect(row).toMatchObject({ state: 'open', windowCalls: 6, windowFailures: 3 });
    // In a fresh window the old calls do not count.
    let later = closedBreaker(0);
    outcomes.slice(0, 5).forEach((ok, i) => (later = applyBreakerOutcome(later, policy, i + 1, ok)));
    later = applyBreakerOutcome(later, policy, 70_000, false);
    expect(later).toMatchObject({ state: 'closed', windowCalls: 1, windowFailures: 1 });
  });
});

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('shared rate limits and breakers (PostgreSQL)', () => {
  let target: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    target = await postgres.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: 'postgres', poolMax: 12 });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });

  it('never grants more tokens than the bucket holds, however many take at once', async () => {
    const { tenantId } = await publishWorkflow(db);
    const limit = { capacity: 10, refillPerSecond: 0.001 };
    const results = await Promise.all(Array.from({ length: 60 }, () => takeToken(db.pool, { tenantId, key: 'erp', limit })));
    expect(results.filter((r) => r.granted)).toHaveLength(10);
    const refused = results.filter((r) => !r.granted);
    expect(refused).toHaveLength(50);
    // One token at 0.001/s is ~1000 s away.
    for (const r of refused) expect(r.granted === false && r.retryAfterMs).toBeGreaterThan(900_000);
    // Other connections and tenants have their own buckets.
    expect((await takeToken(db.pool, { tenantId, key: 'crm', limit })).granted).toBe(true);
    const other = await publishWorkflow(db);
    expect((await takeToken(db.pool, { tenantId: other.tenantId, key: 'erp', limit })).granted).toBe(true);
  });

  it('refills over time and says how long to wait', async () => {
    const { tenantId } = await publishWorkflow(db);
    const limit = { capacity: 2, refillPerSecond: 4 };
    expect((await takeToken(db.pool, { tenantId, key: 'erp', limit })).granted).toBe(true);
    expect((await takeToken(db.pool, { tenantId, key: 'erp', limit })).granted).toBe(true);
    const refused = await takeToken(db.pool, { tenantId, key: 'erp', limit });
    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(refused.retryAfterMs).toBeLessThanOrEqual(250);
    await sleep(270);
    expect((await takeToken(db.pool, { tenantId, key: 'erp', limit })).granted).toBe(true);
    await expect(takeToken(db.pool, { tenantId, key: 'erp', limit: { capacity: 0, refillPerSecond: 1 } })).rejects.toThrow(/capacity/);
  });

  it('opens per tenant × host, hands the half-open trial to exactly one caller, and closes on its success', async () => {
    const a = await publishWorkflow(db);
    const b = await publishWorkflow(db);
    const key = { tenantId: a.tenantId, host: 'erp.example.com' };
    for (let i = 0; i < 3; i++) await recordBreakerOutcome(db.pool, { ...key, policy, success: false });

    const denied = await checkBreaker(db.pool, { ...key, policy });
    expect(denied).toMatchObject({ allowed: false, state: 'open' });
    if (!denied.allowed) expect(denied.retryAfterMs).toBeLessThanOrEqual(300);
    // The same host for another tenant, and another host for this tenant, are unaffected.
    expect(await checkBreaker(db.pool, { tenantId: b.tenantId, host: key.host, policy })).toEqual({ allowed: true, trial: false, healthy: true });
    expect(await checkBreaker(db.pool, { tenantId: a.tenantId, host: 'crm.example.com', policy })).toEqual({ allowed: true, trial: false, healthy: true });

    await sleep(320);
    const checks = await Promise.all(Array.from({ length: 8 }, () => checkBreaker(db.pool, { ...key, policy })));
    expect(checks.filter((c) => c.allowed)).toEqual([{ allowed: true, trial: true }]);
    expect(checks.filter((c) => !c.allowed).every((c) => !c.allowed && c.state === 'half_open')).toBe(true);

    expect(await recordBreakerOutcome(db.pool, { ...key, policy, success: true })).toBe('closed');
    expect(await checkBreaker(db.pool, { ...key, policy })).toEqual({ allowed: true, trial: false, healthy: true });
    expect((await listBreakers(db.pool, a.tenantId)).map((s) => [s.host, s.state])).toEqual([['erp.example.com', 'closed']]);
  });

  it('opens on the failure ratio across the window, counting quick successes too', async () => {
    const { tenantId } = await publishWorkflow(db);
    const ratio: BreakerPolicy = { ...policy, failureThreshold: 10, minimumCalls: 6 };
    const key = { tenantId, host: 'ratio.example.com', policy: ratio };
    const states: string[] = [];
    for (const success of [true, true, true, false, true, false, false, false]) states.push(await recordBreakerOutcome(db.pool, { ...key, success }));
    // 7 calls with 3 failures stays closed; the 8th call makes it 4 of 8.
    expect(states).toEqual(['closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'open']);
    expect((await listBreakers(db.pool, tenantId))[0]).toMatchObject({ state: 'open', windowCalls: 8, windowFailures: 4, consecutiveFailures: 3 });
  });

  it('counts batched successes only on a healthy closed breaker, and they weigh in the failure ratio', async () => {
    const { tenantId } = await publishWorkflow(db);
    const ratio: BreakerPolicy = { ...policy, failureThreshold: 10, minimumCalls: 6 };
    const key = { tenantId, host: 'batch.example.com', policy: ratio };
    // No row yet: the batch creates it.
    expect(await recordBreakerSuccesses(db.pool, { ...key, count: 4 })).toBe(true);
    expect(await recordBreakerSuccesses(db.pool, { ...key, count: 2 })).toBe(true);
    expect((await listBreakers(db.pool, tenantId))[0]).toMatchObject({ state: 'closed', windowCalls: 6, windowFailures: 0 });
    // A failure streak is a state a single success must end: the batch refuses and changes nothing.
    await recordBreakerOutcome(db.pool, { ...key, success: false });
    expect(await checkBreaker(db.pool, key)).toEqual({ allowed: true, trial: false, healthy: false });
    expect(await recordBreakerSuccesses(db.pool, { ...key, count: 3 })).toBe(false);
    expect((await listBreakers(db.pool, tenantId))[0]).toMatchObject({ windowCalls: 7, windowFailures: 1, consecutiveFailures: 1 });
    // 6 successes and 5 failures stay below half; the 6th failure opens it (6 of 12).
    for (let i = 0; i < 4; i++) expect(await recordBreakerOutcome(db.pool, { ...key, success: false })).toBe('closed');
    expect(await recordBreakerOutcome(db.pool, { ...key, success: false })).toBe('open');
    await expect(recordBreakerSuccesses(db.pool, { ...key, count: 0 })).rejects.toThrow(/count must be a positive integer/);
  });

  it('re-opens when the trial fails, and hands out a new trial when one never reports', async () => {
    const { tenantId } = await publishWorkflow(db);
    const key = { tenantId, host: 'flaky.example.com' };
    for (let i = 0; i < 3; i++) await recordBreakerOutcome(db.pool, { ...key, policy, success: false });
    await sleep(320);
    expect(await checkBreaker(db.pool, { ...key, policy })).toEqual({ allowed: true, trial: true });
    expect(await recordBreakerOutcome(db.pool, { ...key, policy, success: false })).toBe('open');
    expect(await checkBreaker(db.pool, { ...key, policy })).toMatchObject({ allowed: false, state: 'open' });

    await sleep(320);
    expect(await checkBreaker(db.pool, { ...key, policy, trialTimeoutMs: 250 })).toEqual({ allowed: true, trial: true });
    expect(await checkBreaker(db.pool, { ...key, policy, trialTimeoutMs: 250 })).toMatchObject({ allowed: false, state: 'half_open' });
    await sleep(270);
    expect(await checkBreaker(db.pool, { ...key, policy, trialTimeoutMs: 250 })).toEqual({ allowed: true, trial: true });
  });
});
