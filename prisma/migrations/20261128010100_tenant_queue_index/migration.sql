-- Hand-written: a partial index, which the Prisma schema language cannot express.
--
-- The claim query (packages/db/src/dispatch.ts) is fair between tenants: it walks the distinct
-- tenants that have live runs (a loose index scan on the leading tenant_id) and takes each tenant's
-- head runs in priority order, oldest first. Only live runs (queued, waiting, running) are indexed,
-- so history never slows claims down.
-- (No semicolons or quotes in these comments: the WASM schema engine splits scripts naively.)
CREATE INDEX "runs_tenant_queue_idx" ON "runs" ("tenant_id", "priority" DESC, "wake_at") WHERE "status" IN ('queued', 'waiting', 'running');
