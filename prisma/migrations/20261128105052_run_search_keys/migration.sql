-- CreateTable
CREATE TABLE "run_keys" (
    "tenant_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "run_id" UUID NOT NULL,

    CONSTRAINT "run_keys_pkey" PRIMARY KEY ("tenant_id","key","created_at","run_id")
);

-- CreateIndex
CREATE INDEX "run_keys_run_id_idx" ON "run_keys"("run_id");

-- AddForeignKey
ALTER TABLE "run_keys" ADD CONSTRAINT "run_keys_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill and upkeep of run_keys (the runs screen's key search; see the model's comment).
-- The backfill reads every tenant's runs: under the row-level security of the tenant tables it
-- runs in the platform scope (migrations run as the owner, whom FORCE ROW LEVEL SECURITY binds too).
SELECT set_config('app.scope', 'platform', true);

INSERT INTO "run_keys" ("tenant_id", "key", "created_at", "run_id")
SELECT r."tenant_id", k, r."created_at", r."id"
  FROM "runs" r CROSS JOIN LATERAL unnest(r."business_keys") AS k
ON CONFLICT DO NOTHING;

-- A replay is started without keys but is found by the keys of the run it replays (and so on up a
-- chain of replays).
WITH RECURSIVE inherited ("run_id", "tenant_id", "created_at", "key") AS (
  SELECT x."id", x."tenant_id", x."created_at", k
    FROM "runs" x
    JOIN "runs" o ON o."id" = x."replay_of" AND o."tenant_id" = x."tenant_id"
    CROSS JOIN LATERAL unnest(o."business_keys") AS k
  UNION
  SELECT x."id", x."tenant_id", x."created_at", i."key"
    FROM "runs" x JOIN inherited i ON x."replay_of" = i."run_id" AND x."tenant_id" = i."tenant_id"
)
INSERT INTO "run_keys" ("tenant_id", "key", "created_at", "run_id")
SELECT "tenant_id", "key", "created_at", "run_id" FROM inherited
ON CONFLICT DO NOTHING;

-- In the same transaction as every insert of a run and every change of its keys, whichever code
-- path writes them (ingress, enqueueRunWithKeys' UPDATE, replays, child runs).
CREATE FUNCTION "runs_search_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM "run_keys" WHERE "run_id" = NEW."id" AND "tenant_id" = NEW."tenant_id";
  END IF;
  INSERT INTO "run_keys" ("tenant_id", "key", "created_at", "run_id")
  SELECT NEW."tenant_id", k, NEW."created_at", NEW."id" FROM unnest(NEW."business_keys") AS k
  UNION
  SELECT NEW."tenant_id", o."key", NEW."created_at", NEW."id"
    FROM "run_keys" o
   WHERE NEW."replay_of" IS NOT NULL AND o."run_id" = NEW."replay_of" AND o."tenant_id" = NEW."tenant_id"
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "runs_search_keys_insert" AFTER INSERT ON "runs"
  FOR EACH ROW WHEN (cardinality(NEW."business_keys") > 0 OR NEW."replay_of" IS NOT NULL)
  EXECUTE FUNCTION "runs_search_keys"();

CREATE TRIGGER "runs_search_keys_update" AFTER UPDATE OF "business_keys" ON "runs"
  FOR EACH ROW WHEN (OLD."business_keys" IS DISTINCT FROM NEW."business_keys")
  EXECUTE FUNCTION "runs_search_keys"();

-- A tenant table like the others: row-level security on tenant_id (migration
-- 20261128103000_tenant_row_level_security), where that migration has run.
DO $$
BEGIN
  IF to_regproc('switchyard_protect_tenant_table') IS NOT NULL THEN
    PERFORM switchyard_protect_tenant_table('run_keys');
  END IF;
END
$$;
