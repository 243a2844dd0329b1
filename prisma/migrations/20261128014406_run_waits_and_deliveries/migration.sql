-- CreateTable
CREATE TABLE "run_waits" (
    "tenant_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "activation_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "timeout_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_waits_pkey" PRIMARY KEY ("run_id","activation_id")
);

-- CreateTable
CREATE TABLE "run_deliveries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB,
    "decision" TEXT,
    "activation_id" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "run_waits_tenant_id_kind_key_idx" ON "run_waits"("tenant_id", "kind", "key");

-- CreateIndex
CREATE INDEX "run_deliveries_run_id_received_at_idx" ON "run_deliveries"("run_id", "received_at");

-- CreateIndex
CREATE INDEX "run_deliveries_tenant_id_idx" ON "run_deliveries"("tenant_id");

-- AddForeignKey
ALTER TABLE "run_waits" ADD CONSTRAINT "run_waits_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_waits" ADD CONSTRAINT "run_waits_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_deliveries" ADD CONSTRAINT "run_deliveries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_deliveries" ADD CONSTRAINT "run_deliveries_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
