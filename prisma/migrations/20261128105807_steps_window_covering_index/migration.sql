-- DropIndex
DROP INDEX "steps_tenant_id_started_at_idx";

-- CreateIndex
CREATE INDEX "steps_tenant_id_started_at_node_id_attempt_status_duration__idx" ON "steps"("tenant_id", "started_at", "node_id", "attempt", "status", "duration_ms", "run_id");

-- Index-only scans need the visibility map: let autovacuum visit this insert-only table after 2 %
-- new rows instead of the default 20 %, so the dashboards' recent window is mostly all-visible.
ALTER TABLE "steps" SET (autovacuum_vacuum_insert_scale_factor = 0.02);
