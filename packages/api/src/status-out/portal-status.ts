import { runsByBusinessKey, withTenant } from '@switchyard/db';
import { normalizeHeaders, type HeaderInput } from '../ingress/request';
import { authenticateApiKey } from '../security/api-keys';
import type { RunStatusResponse } from '../security/run-status';
import type { ApiDatabase } from '../trpc';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const MAX_KEY_LENGTH = 200;

/**
 * `GET /api/v1/status/{business key}` for customer portals: a key with the `status` scope reads the
 * status of its own tenant's runs carrying that business key (e.g. an invoice number), newest first.
 * Only status fields: no payloads, results, errors' details or secrets. No run is 200 with `runs: []`.
 */
export async function handlePortalStatusRequest(db: ApiDatabase, request: { headers: HeaderInput; businessKey: string }): Promise<RunStatusResponse> {
  const headers = normalizeHeaders(request.headers);
  const auth = await authenticateApiKey(db, headers, { scope: 'status' });
  if (!auth.ok) {
    return {
      status: auth.status,
      headers: { ...JSON_HEADERS, ...(auth.status === 401 ? { 'www-authenticate': 'Bearer realm="switchyard"' } : {}) },
      body: { error: auth.reason },
    };
  }
  const key = request.businessKey.trim();
  if (!key || key.length > MAX_KEY_LENGTH) {
    return { status: 400, headers: JSON_HEADERS, body: { error: `the business key must be 1 to ${MAX_KEY_LENGTH} characters` } };
  }
  const tenantId = auth.key.tenantId;
  const runs = await withTenant(tenantId, () => runsByBusinessKey(db.prisma, tenantId, key));
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: {
      businessKey: key,
      runs: runs.map((run) => ({
        id: run.id,
        workflowId: run.workflowId,
        status: run.status,
        deadLettered: run.deadLetteredAt !== null,
        correlationId: run.correlationId,
        createdAt: run.createdAt.toISOString(),
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
      })),
    },
  };
}
