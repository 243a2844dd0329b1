-- CreateTable
CREATE TABLE "status_subscriptions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "workflow_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "statuses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "encrypted_secret" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_status_events" (
    "seq" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "previous_status" TEXT,
    "dead_lettered" BOOLEAN NOT NULL DEFAULT false,
    "correlation_id" TEXT NOT NULL,
    "business_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fanned_out_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_status_events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "status_deliveries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "event_seq" BIGINT NOT NULL,
    "run_id" UUID NOT NULL,
    "body" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "status_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_delivery_attempts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status_code" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "status_subscriptions_tenant_id_name_key" ON "status_subscriptions"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "run_status_events_fanned_out_at_seq_idx" ON "run_status_events"("fanned_out_at", "seq");

-- CreateIndex
CREATE INDEX "status_deliveries_state_next_attempt_at_idx" ON "status_deliveries"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "status_deliveries_tenant_id_created_at_idx" ON "status_deliveries"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "status_deliveries_subscription_id_event_seq_key" ON "status_deliveries"("subscription_id", "event_seq");

-- CreateIndex
CREATE INDEX "status_delivery_attempts_delivery_id_at_idx" ON "status_delivery_attempts"("delivery_id", "at");

-- AddForeignKey
ALTER TABLE "status_subscriptions" ADD CONSTRAINT "status_subscriptions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_status_events" ADD CONSTRAINT "run_status_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_deliveries" ADD CONSTRAINT "status_deliveries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_deliveries" ADD CONSTRAINT "status_deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "status_subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_delivery_attempts" ADD CONSTRAINT "status_delivery_attempts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_delivery_attempts" ADD CONSTRAINT "status_delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "status_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Status out: every run status change of a tenant with an active status subscription is written
-- to the run_status_events outbox by a trigger, in the same transaction as the change, so no commit
-- path of the engine needs to know about it. Tenants without subscriptions pay one index probe.
-- Step commits that leave the run running do not change the status and do not fire it (WHEN test).
CREATE FUNCTION "switchyard_run_status_event"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "status_subscriptions" s WHERE s.tenant_id = NEW.tenant_id AND s.active) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "run_status_events" (tenant_id, run_id, workflow_id, status, previous_status, dead_lettered, correlation_id, business_keys)
  VALUES (NEW.tenant_id, NEW.id, NEW.workflow_id, NEW.status::text,
          CASE WHEN TG_OP = 'UPDATE' THEN OLD.status::text ELSE NULL END,
          NEW.dead_lettered_at IS NOT NULL, NEW.correlation_id, NEW.business_keys);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "runs_status_event_insert"
  AFTER INSERT ON "runs"
  FOR EACH ROW
  EXECUTE FUNCTION "switchyard_run_status_event"();

CREATE TRIGGER "runs_status_event_update"
  AFTER UPDATE OF status ON "runs"
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION "switchyard_run_status_event"();
