-- DropForeignKey
ALTER TABLE "runs" DROP CONSTRAINT "runs_version_id_fkey";

-- DropForeignKey
ALTER TABLE "runs" DROP CONSTRAINT "runs_workflow_id_fkey";

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "business_keys" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "runs_tenant_id_workflow_id_status_created_at_id_idx" ON "runs"("tenant_id", "workflow_id", "status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "runs_tenant_id_version_id_status_created_at_id_idx" ON "runs"("tenant_id", "version_id", "status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "runs_tenant_id_trigger_status_created_at_id_idx" ON "runs"("tenant_id", "trigger", "status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "runs_business_keys_idx" ON "runs" USING GIN ("business_keys");

-- CreateIndex
CREATE INDEX "steps_tenant_id_started_at_idx" ON "steps"("tenant_id", "started_at");

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "workflow_versions"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
