import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSchedule,
  deleteSchedule,
  fireDueSchedules,
  listSchedules,
  migrate,
  nextSlot,
  openDatabase,
  previewSchedule,
  updateSchedule,
  type Database,
  type Schedule,
} from '../src/index';
import { backends, publishWorkflow, sleep, type TestDatabase } from './support';

describe('cron slots (pure)', () => {
  it('reads the expression in the time zone, across a DST change', () => {
    // 09:00 in New York is 14:00Z in winter and 13:00Z in summer (DST began on 8 March 2026).
    expect(nextSlot('0 9 * * *', 'America/New_York', new Date('2026-03-06T15:00:00Z')).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(nextSlot('0 9 * * *', 'America/New_York', new Date('2026-03-08T12:00:00Z')).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(nextSlot('0 9 * * *', 'UTC', new Date('2026-03-08T12:00:00Z')).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it('explains bad expressions and zones by field', () => {
    expect(previewSchedule('61 * * * *', 'UTC')).toMatchObject({ ok: false, issues: [{ path: 'cron', message: expect.stringContaining('0-59') }] });
    expect(previewSchedule('* * *', 'UTC')).toMatchObject({ ok: false, issues: [{ path: 'cron', message: expect.stringContaining('5 fields') }] });
    expect(previewSchedule('0 9 * * *', 'Mars/Olympus')).toMatchObject({ ok: false, issues: [{ path: 'timeZone' }] });
    const preview = previewSchedule('0 0 1 * *', 'Europe/Berlin', 2, new Date('2026-01-15T00:00:00Z'));
    expect(preview).toEqual({ ok: true, slots: [new Date('2026-01-31T23:00:00Z'), new Date('2026-02-28T23:00:00Z')] });
  });
});

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('schedules (PostgreSQL)', () => {
  let target: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    target = await postgres.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: 'postgres', poolMax: 10 });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE tenants CASCADE');
  });

  async function scheduled(ids: { tenantId: string; workflowId: string }, input: Record<string, unknown>, now?: Date): Promise<Schedule> {
    const result = await createSchedule(db.pool, ids.tenantId, { workflowId: ids.workflowId, ...input }, now);
    if (result.status !== 'saved') throw new Error(`schedule not saved: ${JSON.stringify(result)}`);
    return result.schedule;
  }
  const runsOf = async (tenantId: string) =>
    (
      await db.pool.query<{ idempotency_key: string; trigger: string; trigger_payload: { scheduledFor: string; region: string } }>(
        `SELECT idempotency_key, trigger, trigger_payload FROM runs WHERE tenant_id = $1 ORDER BY trigger_payload->>'scheduledFor'`,
        [tenantId],
      )
    ).rows;

  it("defaults to the tenant's time zone and validates input by field", async () => {
    const ids = await publishWorkflow(db, undefined, undefined, 'Asia/Tokyo');
    const schedule = await scheduled(ids, { cron: '0 9 * * *' }, new Date('2026-05-01T12:00:00Z'));
    expect(schedule).toMatchObject({ timeZone: 'Asia/Tokyo', enabled: true, payload: {} });
    expect(schedule.nextFireAt.toISOString()).toBe('2026-05-02T00:00:00.000Z');

    expect(await createSchedule(db.pool, ids.tenantId, { workflowId: ids.workflowId, cron: '0 25 * * *' })).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'cron' }],
    });
    expect(await createSchedule(db.pool, ids.tenantId, { workflowId: 'nope', cron: '0 9 * * *', every: 3 })).toMatchObject({ status: 'invalid' });
    const other = await publishWorkflow(db);
    expect(await createSchedule(db.pool, other.tenantId, { workflowId: ids.workflowId, cron: '0 9 * * *' })).toEqual({ status: 'not_found' });
    expect(await listSchedules(db.pool, other.tenantId)).toEqual([]);
    expect(await deleteSchedule(db.pool, other.tenantId, schedule.id)).toBe(false);

    const moved = await updateSchedule(db.pool, ids.tenantId, schedule.id, { timeZone: 'Europe/London' }, new Date('2026-05-01T12:00:00Z'));
    expect(moved.status === 'saved' && moved.schedule.nextFireAt.toISOString()).toBe('2026-05-02T08:00:00.000Z');
  });

  it('fires every slot exactly once with three schedulers racing, each run keyed by its slot', async () => {
    const ids = await publishWorkflow(db);
    const t0 = new Date('2026-06-01T10:00:00Z');
    const schedule = await scheduled(ids, { cron: '*/10 * * * * *', payload: { region: 'eu' } }, new Date(t0.getTime() - 1));
    expect(schedule.nextFireAt).toEqual(t0);

    // Each tick, three schedulers fire concurrently at the same instant.
    for (let tick = 0; tick < 6; tick++) {
      const now = new Date(t0.getTime() + tick * 10_000 + 1);
      const fired = (await Promise.all([0, 1, 2].map(() => fireDueSchedules(db.pool, { now })))).flat();
      expect(fired).toHaveLength(1);
      expect(fired[0]).toMatchObject({ scheduleId: schedule.id, slot: new Date(t0.getTime() + tick * 10_000), created: true });
    }
    const runs = await runsOf(ids.tenantId);
    expect(runs.map((r) => r.trigger_payload.scheduledFor)).toEqual([0, 1, 2, 3, 4, 5].map((i) => new Date(t0.getTime() + i * 10_000).toISOString()));
    expect(runs.every((r) => r.trigger === 'schedule' && r.trigger_payload.region === 'eu')).toBe(true);
    expect(runs[0]!.idempotency_key).toBe(`schedule:${schedule.id}:${t0.toISOString()}`);
  });

  it('fires on the database clock with concurrent schedulers, once per slot', async () => {
    const ids = await publishWorkflow(db);
    await scheduled(ids, { cron: '* * * * * *' });
    const loop = async () => {
      const end = Date.now() + 1500;
      while (Date.now() < end) {
        await fireDueSchedules(db.pool);
        await sleep(20);
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    const slots = (await runsOf(ids.tenantId)).map((r) => Date.parse(r.trigger_payload.scheduledFor));
    expect(slots.length).toBeGreaterThanOrEqual(1);
    expect(new Set(slots).size).toBe(slots.length);
    // Consecutive seconds: no slot skipped, none repeated.
    slots.forEach((slot, i) => i > 0 && expect(slot - slots[i - 1]!).toBe(1000));
  });

  it('coalesces slots missed during an outage into one run and skips unpublished workflows with a note', async () => {
    const ids = await publishWorkflow(db);
    const t0 = new Date('2026-06-01T10:00:00Z');
    const schedule = await scheduled(ids, { cron: '0 * * * *' }, new Date(t0.getTime() - 1));
    // Five hours later: one catch-up run for the oldest missed slot, then the next slot after now.
    const fired = await fireDueSchedules(db.pool, { now: new Date(t0.getTime() + 5 * 3600_000 + 60_000) });
    expect(fired).toHaveLength(1);
    expect((await listSchedules(db.pool, ids.tenantId))[0]!.nextFireAt).toEqual(new Date(t0.getTime() + 6 * 3600_000));

    await db.prisma.workflow.update({ where: { id: ids.workflowId }, data: { activeVersionId: null } });
    const skipped = await fireDueSchedules(db.pool, { now: new Date(t0.getTime() + 6 * 3600_000) });
    expect(skipped).toMatchObject([{ scheduleId: schedule.id, runId: null, error: expect.stringContaining('no published version') }]);
    expect((await listSchedules(db.pool, ids.tenantId))[0]!.lastError).toMatch(/no published version/);
    expect(await runsOf(ids.tenantId)).toHaveLength(1);
  });
});
