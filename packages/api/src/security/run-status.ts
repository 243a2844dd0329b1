import { withTenant, type Prisma } from '@switchyard/db';
import { normalizeHeaders, type HeaderInput } from '../ingress/request';
import type { ApiDatabase } from '../trpc';
import { authenticateApiKey } from './api-keys';

export interface RunStatusResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What a machine client may see of a run: its status, not its payloads or step outputs. */
const runStatusSelect = {
  id: true,
  workflowId: true,
  status: true,
  correlationId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  error: true,
} satisfies Prisma.RunSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * `GET /api/v1/runs/{id}`, framework-agnostic: a key with the `runs:read` scope reads the status of
 * one of its tenant's runs. A run of another tenant is 404, exactly like a run that does not exist.
 */
export async function handleRunStatusRequest(db: ApiDatabase, request: { headers: HeaderInput; runId: string }): Promise<RunStatusResponse> {
  const headers = normalizeHeaders(request.headers);
  const auth = await authenticateApiKey(db, headers, { scope: 'runs:read' });
  if (!auth.ok) {
    return {
      status: auth.status,
      headers: { ...JSON_HEADERS, ...(auth.status === 401 ? { 'www-authenticate': 'Bearer realm="switchyard"' } : {}) },
      body: { error: auth.reason },
    };
  }
  if (!UUID.test(request.runId)) return { status: 400, headers: JSON_HEADERS, body: { error: `runId must be a UUID (got ${JSON.stringify(request.runId)})` } };
  const tenantId = auth.key.tenantId;
  const run = await withTenant(tenantId, () => db.prisma.run.findFirst({ where: { tenantId, id: request.runId }, select: runStatusSelect }));
  if (!run) return { status: 404, headers: JSON_HEADERS, body: { error: `run ${request.runId} does not exist` } };
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: {
      id: run.id,
      workflowId: run.workflowId,
      status: run.status,
      correlationId: run.correlationId,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.error ?? null,
    },
  };
}
