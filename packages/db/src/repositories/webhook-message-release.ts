import type pg from 'pg';
import { assertUuid } from '../sql';

/**
 * Forgets an accepted webhook-id again: an event delivery that reached no waiting run is answered
 * 404 so that the sender retries it later (the run may not have reached its wait yet), and that
 * retry carries the same webhook-id, which must then be accepted.
 */
export async function releaseWebhookDelivery(pool: pg.Pool, tenantId: string, workflowId: string, messageId: string): Promise<void> {
  assertUuid(tenantId, 'releaseWebhookDelivery: tenantId');
  assertUuid(workflowId, 'releaseWebhookDelivery: workflowId');
  await pool.query('DELETE FROM webhook_deliveries WHERE tenant_id = $1 AND workflow_id = $2 AND message_id = $3', [tenantId, workflowId, messageId]);
}
