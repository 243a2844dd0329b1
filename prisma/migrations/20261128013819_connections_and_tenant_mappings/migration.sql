-- CreateTable
CREATE TABLE "connections" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "encrypted_credentials" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_mappings" (
    "tenant_id" UUID NOT NULL,
    "erp" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "overlay" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_mappings_pkey" PRIMARY KEY ("tenant_id","erp","object","version")
);

-- CreateIndex
CREATE INDEX "connections_key_id_idx" ON "connections"("key_id");

-- CreateIndex
CREATE UNIQUE INDEX "connections_tenant_id_name_key" ON "connections"("tenant_id", "name");

-- AddForeignKey
ALTER TABLE "connections" ADD CONSTRAINT "connections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_mappings" ADD CONSTRAINT "tenant_mappings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
