import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';

/** Statuses runs.list accepts as a filter; the type check fails if one is offered that the API would refuse. */
type ApiStatusFilter = NonNullable<inferRouterInputs<AppRouter>['runs']['list']['status']>;

/** Run list filters live in the URL (shareable, and the designer links to a workflow's runs). */
export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const satisfies readonly ApiStatusFilter[];
export type RunStatusFilter = (typeof RUN_STATUSES)[number];

export interface RunFilters {
  workflowId?: string;
  status?: RunStatusFilter;
  correlationId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRunFilters(params: URLSearchParams): RunFilters {
  const filters: RunFilters = {};
  const workflowId = params.get('workflow');
  if (workflowId && UUID.test(workflowId)) filters.workflowId = workflowId;
  const status = params.get('status');
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) filters.status = status as RunStatusFilter;
  const correlationId = params.get('correlation')?.trim();
  if (correlationId) filters.correlationId = correlationId.slice(0, 200);
  return filters;
}

export function runFiltersToParams(filters: RunFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.workflowId) params.set('workflow', filters.workflowId);
  if (filters.status) params.set('status', filters.status);
  if (filters.correlationId) params.set('correlation', filters.correlationId);
  return params;
}
