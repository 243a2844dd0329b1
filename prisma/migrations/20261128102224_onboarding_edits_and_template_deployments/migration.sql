-- CreateTable
CREATE TABLE "template_deployments" (
    "workflow_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "template_id" TEXT NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "template_deployments_pkey" PRIMARY KEY ("workflow_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "template_deployments_tenant_id_template_id_key" ON "template_deployments"("tenant_id", "template_id");

-- AddForeignKey
ALTER TABLE "template_deployments" ADD CONSTRAINT "template_deployments_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "template_deployments" ADD CONSTRAINT "template_deployments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
