-- Hand-written: the fair claim (packages/db/src/claim.ts) walks runs_tenant_queue_idx, so the
-- older partial index of live runs by wake_at alone is read by no query any more. Dropping it
-- spares an index insertion on every run update that is not a HOT update (most step commits).
-- (No semicolons or quotes in these comments: the WASM schema engine splits scripts naively.)
DROP INDEX IF EXISTS "runs_claimable_idx";
