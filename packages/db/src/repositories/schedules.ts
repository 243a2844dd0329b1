import { z } from 'zod';
import { formatPath, parseWithPhrases } from '@switchyard/workflow';
import { checkCron, nextSlot, upcomingSlots } from '../schedule/cron';
import { assertUuid, json, type SqlClient } from '../sql';

// Cron schedules of a tenant's workflows. Every query has the tenant in its `where`; a schedule or
// workflow of another tenant reads as not found. The worker fires them (schedule/fire.ts).

export interface Schedule {
  id: string;
  workflowId: string;
  name: string;
  cron: string;
  timeZone: string;
  payload: Record<string, unknown>;
  enabled: boolean;
  nextFireAt: Date;
  lastSlotAt: Date | null;
  lastRunId: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleIssue {
  path: string;
  message: string;
}

export type SaveScheduleResult = { status: 'saved'; schedule: Schedule } | { status: 'invalid'; issues: ScheduleIssue[] } | { status: 'not_found' };

const fields = {
  name: z.string().max(200),
  cron: z.string().min(1).max(200),
  /** IANA zone; defaults to the tenant's time zone. */
  timeZone: z.string().min(1).max(100),
  /** The trigger payload of every run (the slot is added as `scheduledFor`). */
  payload: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
};
export const CreateScheduleSchema = z.strictObject({
  workflowId: z.uuid(),
  name: fields.name.optional(),
  cron: fields.cron,
  timeZone: fields.timeZone.optional(),
  payload: fields.payload.optional(),
  enabled: fields.enabled.optional(),
});
export type CreateScheduleInput = z.infer<typeof CreateScheduleSchema>;
export const UpdateScheduleSchema = z.strictObject({
  name: fields.name.optional(),
  cron: fields.cron.optional(),
  timeZone: fields.timeZone.optional(),
  payload: fields.payload.optional(),
  enabled: fields.enabled.optional(),
});
export type UpdateScheduleInput = z.infer<typeof UpdateScheduleSchema>;

const COLUMNS = `id, workflow_id, name, cron, time_zone, payload, enabled, next_fire_at, last_slot_at, last_run_id, last_error, created_at, updated_at`;

export async function createSchedule(pool: SqlClient, tenantId: string, input: unknown, now = new Date()): Promise<SaveScheduleResult> {
  assertUuid(tenantId, 'createSchedule: tenantId');
  const parsed = parseWithPhrases(CreateScheduleSchema, input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const data = parsed.data;
  const owner = await pool.query<{ time_zone: string }>(
    `SELECT t.time_zone FROM workflows w JOIN tenants t ON t.id = w.tenant_id WHERE w.id = $2 AND w.tenant_id = $1`,
    [tenantId, data.workflowId],
  );
  const tenant = owner.rows[0];
  if (!tenant) return { status: 'not_found' };
  const timeZone = data.timeZone ?? tenant.time_zone;
  const check = checkCron(data.cron, timeZone);
  if (!check.ok) return { status: 'invalid', issues: [{ path: check.field, message: check.message }] };
  const { rows } = await pool.query<ScheduleRow>(
    `INSERT INTO schedules (id, tenant_id, workflow_id, name, cron, time_zone, payload, enabled, next_fire_at, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6::jsonb, $7, $8, now(), now())
     RETURNING ${COLUMNS}`,
    [tenantId, data.workflowId, data.name ?? '', data.cron.trim(), timeZone, json(data.payload ?? {}), data.enabled ?? true, nextSlot(data.cron, timeZone, now)],
  );
  return { status: 'saved', schedule: toSchedule(rows[0]!) };
}

/** Changes fields of a schedule; a new expression, zone or re-enabling recomputes the next slot from now. */
export async function updateSchedule(pool: SqlClient, tenantId: string, scheduleId: string, patch: unknown, now = new Date()): Promise<SaveScheduleResult> {
  assertUuid(tenantId, 'updateSchedule: tenantId');
  assertUuid(scheduleId, 'updateSchedule: scheduleId');
  const parsed = parseWithPhrases(UpdateScheduleSchema, patch);
  if (!parsed.success) return invalid(parsed.error.issues);
  const current = await getSchedule(pool, tenantId, scheduleId);
  if (!current) return { status: 'not_found' };
  const next = { ...current, ...parsed.data, cron: parsed.data.cron?.trim() ?? current.cron };
  const check = checkCron(next.cron, next.timeZone);
  if (!check.ok) return { status: 'invalid', issues: [{ path: check.field, message: check.message }] };
  const timing = next.cron !== current.cron || next.timeZone !== current.timeZone || (next.enabled && !current.enabled);
  const nextFireAt = timing ? nextSlot(next.cron, next.timeZone, now) : current.nextFireAt;
  const { rows } = await pool.query<ScheduleRow>(
    `UPDATE schedules SET name = $3, cron = $4, time_zone = $5, payload = $6::jsonb, enabled = $7, next_fire_at = $8,
            last_error = CASE WHEN $9 THEN NULL ELSE last_error END, updated_at = now()
      WHERE id = $2 AND tenant_id = $1
      RETURNING ${COLUMNS}`,
    [tenantId, scheduleId, next.name, next.cron, next.timeZone, json(next.payload), next.enabled, nextFireAt, timing],
  );
  const row = rows[0];
  return row ? { status: 'saved', schedule: toSchedule(row) } : { status: 'not_found' };
}

export async function deleteSchedule(pool: SqlClient, tenantId: string, scheduleId: string): Promise<boolean> {
  assertUuid(tenantId, 'deleteSchedule: tenantId');
  assertUuid(scheduleId, 'deleteSchedule: scheduleId');
  const { rowCount } = await pool.query('DELETE FROM schedules WHERE id = $2 AND tenant_id = $1', [tenantId, scheduleId]);
  return (rowCount ?? 0) > 0;
}

export async function getSchedule(pool: SqlClient, tenantId: string, scheduleId: string): Promise<Schedule | null> {
  assertUuid(tenantId, 'getSchedule: tenantId');
  assertUuid(scheduleId, 'getSchedule: scheduleId');
  const { rows } = await pool.query<ScheduleRow>(`SELECT ${COLUMNS} FROM schedules WHERE id = $2 AND tenant_id = $1`, [tenantId, scheduleId]);
  return rows[0] ? toSchedule(rows[0]) : null;
}

export async function listSchedules(pool: SqlClient, tenantId: string, filter: { workflowId?: string } = {}): Promise<Schedule[]> {
  assertUuid(tenantId, 'listSchedules: tenantId');
  if (filter.workflowId !== undefined) assertUuid(filter.workflowId, 'listSchedules: workflowId');
  const { rows } = await pool.query<ScheduleRow>(
    `SELECT ${COLUMNS} FROM schedules WHERE tenant_id = $1 AND ($2::uuid IS NULL OR workflow_id = $2) ORDER BY created_at DESC, id DESC`,
    [tenantId, filter.workflowId ?? null],
  );
  return rows.map(toSchedule);
}

/** The next `count` slots of an expression in a zone (for a preview while editing); issues when invalid. */
export function previewSchedule(cron: string, timeZone: string, count = 5, after = new Date()): { ok: true; slots: Date[] } | { ok: false; issues: ScheduleIssue[] } {
  const check = checkCron(cron, timeZone);
  if (!check.ok) return { ok: false, issues: [{ path: check.field, message: check.message }] };
  return { ok: true, slots: upcomingSlots(cron, timeZone, after, Math.min(Math.max(1, Math.floor(count)), 50)) };
}

interface ScheduleRow {
  id: string;
  workflow_id: string;
  name: string;
  cron: string;
  time_zone: string;
  payload: Record<string, unknown>;
  enabled: boolean;
  next_fire_at: Date;
  last_slot_at: Date | null;
  last_run_id: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    name: row.name,
    cron: row.cron,
    timeZone: row.time_zone,
    payload: row.payload,
    enabled: row.enabled,
    nextFireAt: row.next_fire_at,
    lastSlotAt: row.last_slot_at,
    lastRunId: row.last_run_id,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function invalid(issues: readonly z.core.$ZodIssue[]): SaveScheduleResult {
  return { status: 'invalid', issues: issues.map((i) => ({ path: formatPath('', i.path) || '(schedule)', message: i.message })) };
}
