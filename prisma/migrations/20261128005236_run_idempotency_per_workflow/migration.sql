-- DropIndex
DROP INDEX "runs_tenant_id_idempotency_key_key";

-- CreateIndex
CREATE UNIQUE INDEX "runs_tenant_id_workflow_id_idempotency_key_key" ON "runs"("tenant_id", "workflow_id", "idempotency_key");
