-- DropIndex
DROP INDEX "runs_tenant_id_version_id_status_created_at_id_idx";

-- DropIndex
DROP INDEX "runs_tenant_id_workflow_id_status_created_at_id_idx";

-- CreateIndex
CREATE INDEX "runs_tenant_id_workflow_id_trigger_status_created_at_id_idx" ON "runs"("tenant_id", "workflow_id", "trigger", "status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "runs_tenant_id_version_id_trigger_status_created_at_id_idx" ON "runs"("tenant_id", "version_id", "trigger", "status", "created_at" DESC, "id" DESC);
