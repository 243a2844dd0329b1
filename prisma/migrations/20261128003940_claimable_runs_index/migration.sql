-- Hand-written: the Prisma schema language cannot express a partial index (without a preview
-- feature), and the Prisma diff leaves manually created partial indexes alone.
--
-- The dispatcher claim query (packages/db/src/dispatch.ts) looks only at runs that are queued,
-- waiting on a durable timer, or running (an expired lease is taken over). History (succeeded,
-- failed, cancelled) grows without bound and must not be scanned. Ordered by wake_at so that
-- "due first, oldest first" is an index range scan.
-- (No semicolons or quotes in these comments: the WASM schema engine splits scripts naively.)
CREATE INDEX "runs_claimable_idx" ON "runs" ("wake_at") WHERE "status" IN ('queued', 'waiting', 'running');
