-- A child run (started by a workflow.call node) that ends puts its outcome in its parent's inbox
-- and makes the parent claimable. A trigger, so that every way a run ends (engine commit in one
-- statement or in a transaction, cancel) reports it in the same transaction, and runs without a
-- parent pay only the WHEN test. The parent row is locked first: a parent whose worker is between
-- commits then sees the inbox row when it parks (run-waits.ts re-wakes a parked run with deliveries).
-- Locks are always taken child then parent, never the other way round.
CREATE FUNCTION "switchyard_child_run_ended"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  parent_status text;
BEGIN
  SELECT p.status::text INTO parent_status FROM "runs" p
   WHERE p.id = NEW.parent_run_id AND p.tenant_id = NEW.tenant_id
     FOR UPDATE;
  IF parent_status IS NULL OR parent_status NOT IN ('queued', 'waiting', 'running') THEN
    RETURN NULL;
  END IF;
  INSERT INTO "run_deliveries" (id, tenant_id, run_id, kind, key, payload)
  VALUES (gen_random_uuid(), NEW.tenant_id, NEW.parent_run_id, 'child', NEW.idempotency_key,
          jsonb_build_object('runId', NEW.id, 'status', NEW.status::text, 'result', NEW.result, 'error', NEW.error));
  IF parent_status <> 'running' THEN
    UPDATE "runs" SET status = 'queued', wake_at = least(wake_at, now()), updated_at = now()
     WHERE id = NEW.parent_run_id AND tenant_id = NEW.tenant_id;
    PERFORM pg_notify('switchyard_runs', NEW.parent_run_id::text);
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "runs_child_run_ended"
  AFTER UPDATE OF status ON "runs"
  FOR EACH ROW
  WHEN (NEW.parent_run_id IS NOT NULL
        AND NEW.status IN ('succeeded', 'failed', 'cancelled', 'compensated', 'compensation_failed')
        AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION "switchyard_child_run_ended"();
