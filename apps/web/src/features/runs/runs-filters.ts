import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';

/** Statuses runs.list accepts as a filter; the type check fails if one is offered that the API would refuse. */
type ApiStatusFilter = NonNullable<inferRouterInputs<AppRouter>['runs']['list']['status']>;

/** Run list filters live in the URL (shareable, and the designer links to a workflow's runs). */
export const RUN_STATUSES = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'compensated',
  'compensation_failed',
] as const satisfies readonly ApiStatusFilter[];
export type RunStatusFilter = (typeof RUN_STATUSES)[number];

/** Triggers the product starts runs with; the box also accepts any other value the API stored. */
export const KNOWN_TRIGGERS = ['webhook', 'manual', 'schedule', 'replay', 'test'] as const;

/** Relative windows ("the last 24 hours") stay relative in a saved link; `custom` uses from/to. */
export const TIME_RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type TimeRange = keyof typeof TIME_RANGES;

export interface RunFilters {
  /** Exact key search (correlation id, idempotency key, business key, run id) across workflows. */
  q?: string;
  workflowId?: string;
  versionId?: string;
  status?: RunStatusFilter;
  trigger?: string;
  correlationId?: string;
  range?: TimeRange;
  /** ISO instants, for a custom window. */
  from?: string;
  to?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isInstant = (v: string) => !Number.isNaN(new Date(v).getTime());

export function parseRunFilters(params: URLSearchParams): RunFilters {
  const filters: RunFilters = {};
  const q = params.get('q')?.trim();
  if (q) filters.q = q.slice(0, 200);
  const workflowId = params.get('workflow');
  if (workflowId && UUID.test(workflowId)) filters.workflowId = workflowId;
  const versionId = params.get('version');
  if (versionId && UUID.test(versionId)) filters.versionId = versionId;
  const status = params.get('status');
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) filters.status = status as RunStatusFilter;
  const trigger = params.get('trigger')?.trim();
  if (trigger) filters.trigger = trigger.slice(0, 50);
  const correlationId = params.get('correlation')?.trim();
  if (correlationId) filters.correlationId = correlationId.slice(0, 200);
  const range = params.get('range');
  if (range && range in TIME_RANGES) filters.range = range as TimeRange;
  const from = params.get('from');
  const to = params.get('to');
  if (!filters.range && from && isInstant(from)) filters.from = from;
  if (!filters.range && to && isInstant(to)) filters.to = to;
  return filters;
}

export function runFiltersToParams(filters: RunFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.workflowId) params.set('workflow', filters.workflowId);
  if (filters.versionId) params.set('version', filters.versionId);
  if (filters.status) params.set('status', filters.status);
  if (filters.trigger) params.set('trigger', filters.trigger);
  if (filters.correlationId) params.set('correlation', filters.correlationId);
  if (filters.range) params.set('range', filters.range);
  else {
    if (filters.from) params.set('from', filters.from);
    if (filters.to) params.set('to', filters.to);
  }
  return params;
}

export function hasAnyFilter(filters: RunFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined && v !== '');
}

/**
 * What runs.list receives. A relative range is turned into an instant by the caller once per
 * filter change (`now`), so the query key does not change on every render.
 */
export function toListInput(filters: RunFilters, now: number) {
  const from = filters.range ? new Date(now - TIME_RANGES[filters.range]) : filters.from ? new Date(filters.from) : undefined;
  const to = !filters.range && filters.to ? new Date(filters.to) : undefined;
  return {
    ...(filters.workflowId ? { workflowId: filters.workflowId } : {}),
    ...(filters.versionId ? { versionId: filters.versionId } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.trigger ? { trigger: filters.trigger } : {}),
    ...(filters.correlationId ? { correlationId: filters.correlationId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}
