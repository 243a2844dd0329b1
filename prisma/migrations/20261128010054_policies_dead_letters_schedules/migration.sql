-- CreateEnum
CREATE TYPE "breaker_state" AS ENUM ('closed', 'open', 'half_open');

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "dead_letter_reason" TEXT,
ADD COLUMN     "dead_lettered_at" TIMESTAMPTZ(3),
ADD COLUMN     "effect_key" TEXT,
ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "replay_of" UUID;

-- AlterTable
ALTER TABLE "steps" ADD COLUMN     "item_index" INTEGER,
ADD COLUMN     "phase" TEXT;

-- CreateTable
CREATE TABLE "tenant_policies" (
    "tenant_id" UUID NOT NULL,
    "policy" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_policies_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "workflow_policies" (
    "workflow_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "policy" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_policies_pkey" PRIMARY KEY ("workflow_id")
);

-- CreateTable
CREATE TABLE "rate_limit_buckets" (
    "tenant_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("tenant_id","key")
);

-- CreateTable
CREATE TABLE "circuit_breakers" (
    "tenant_id" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "state" "breaker_state" NOT NULL DEFAULT 'closed',
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "window_calls" INTEGER NOT NULL DEFAULT 0,
    "window_failures" INTEGER NOT NULL DEFAULT 0,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_at" TIMESTAMPTZ(3),
    "trial_started_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "circuit_breakers_pkey" PRIMARY KEY ("tenant_id","host")
);

-- CreateTable
CREATE TABLE "schedules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "cron" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "next_fire_at" TIMESTAMPTZ(3) NOT NULL,
    "last_slot_at" TIMESTAMPTZ(3),
    "last_run_id" UUID,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "workflow_policies_tenant_id_idx" ON "workflow_policies"("tenant_id");

-- CreateIndex
CREATE INDEX "schedules_tenant_id_created_at_idx" ON "schedules"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "schedules_enabled_next_fire_at_idx" ON "schedules"("enabled", "next_fire_at");

-- CreateIndex
CREATE INDEX "runs_tenant_id_dead_lettered_at_idx" ON "runs"("tenant_id", "dead_lettered_at" DESC);

-- CreateIndex
CREATE INDEX "runs_replay_of_idx" ON "runs"("replay_of");

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_replay_of_fkey" FOREIGN KEY ("replay_of") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_policies" ADD CONSTRAINT "tenant_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_policies" ADD CONSTRAINT "workflow_policies_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_policies" ADD CONSTRAINT "workflow_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rate_limit_buckets" ADD CONSTRAINT "rate_limit_buckets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "circuit_breakers" ADD CONSTRAINT "circuit_breakers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
