-- Bids get a life of their own: a window in which their lease may begin, an expiry, placement by
-- regions as well as near a point; best-effort leases can be pre-empted with a notice.

-- Placement is either near a point (latitude, longitude, within_km) or a list of regions, never both.
ALTER TABLE bid ALTER COLUMN near_latitude DROP NOT NULL;
ALTER TABLE bid ALTER COLUMN near_longitude DROP NOT NULL;
ALTER TABLE bid ALTER COLUMN within_km DROP NOT NULL;
-- Region codes, comma separated (codes cannot hold commas); checked against region at submission.
ALTER TABLE bid ADD COLUMN regions text CHECK (regions ~ '^[a-z0-9-]{2,32}(,[a-z0-9-]{2,32})*$');
ALTER TABLE bid ADD CONSTRAINT bid_one_placement CHECK (
    (regions IS NULL AND near_latitude IS NOT NULL AND near_longitude IS NOT NULL AND within_km IS NOT NULL)
    OR (regions IS NOT NULL AND near_latitude IS NULL AND near_longitude IS NULL AND within_km IS NULL));

-- The lease may begin anywhere from start_at to latest_start_at; NULL means exactly at start_at.
ALTER TABLE bid ADD COLUMN latest_start_at timestamptz;
ALTER TABLE bid ADD CONSTRAINT bid_window_ordered CHECK (latest_start_at IS NULL OR latest_start_at >= start_at);

-- An open bid past expires_at is swept to EXPIRED. Bids placed before this migration expire a day
-- after they were placed, the default for new bids without a window.
ALTER TABLE bid ADD COLUMN expires_at timestamptz;
UPDATE bid SET expires_at = created_at + interval '24 hours';
ALTER TABLE bid ALTER COLUMN expires_at SET NOT NULL;
-- When the bid left OPEN by cancellation or expiry.
ALTER TABLE bid ADD COLUMN closed_at timestamptz;
ALTER TABLE bid ADD CONSTRAINT bid_closed_has_time CHECK ((state IN ('CANCELLED', 'EXPIRED')) = (closed_at IS NOT NULL));
CREATE INDEX bid_open_expiry_idx ON bid (expires_at) WHERE state = 'OPEN';

-- A best-effort lease whose capacity went to reserved demand: preempted_at is when, end_at was
-- moved to the end of its notice. Only best-effort leases are ever pre-empted.
ALTER TABLE lease ADD COLUMN preempted_at timestamptz;
ALTER TABLE lease ADD CONSTRAINT lease_preempted_is_best_effort
    CHECK (preempted_at IS NULL OR service_class = 'BEST_EFFORT');
ALTER TABLE lease ADD CONSTRAINT lease_preempted_has_time CHECK (state <> 'PREEMPTED' OR preempted_at IS NOT NULL);
-- A best-effort lease pre-empted before it began never runs: its end is set to its start.
ALTER TABLE lease DROP CONSTRAINT lease_check;
ALTER TABLE lease ADD CONSTRAINT lease_window CHECK (end_at > start_at OR (preempted_at IS NOT NULL AND end_at = start_at));
CREATE INDEX lease_best_effort_idx ON lease (server_id, end_at) WHERE service_class = 'BEST_EFFORT' AND preempted_at IS NULL;

-- Lease events carry the kind of event, the lease's end and its pre-emption time, so a guest's
-- sponsor and node hear of a pre-emption notice (kind 'preempt-notice') as it commits.
CREATE OR REPLACE FUNCTION notify_lease_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lease_events', json_build_object(
        'leaseId', NEW.id,
        'kind', CASE WHEN TG_NARGS > 0 THEN TG_ARGV[0] ELSE 'state' END,
        'state', NEW.state,
        'sponsorId', NEW.sponsor_id,
        'providerId', NEW.provider_id,
        'serverId', NEW.server_id,
        'reason', NEW.state_reason,
        'end', NEW.end_at,
        'preemptedAt', NEW.preempted_at,
        'at', now())::text);
    RETURN NEW;
END
$$;

-- A notice changes no state, so the state triggers (no argument: kind 'state') do not see it; this
-- one does. One UPDATE that pre-empts a lease that never began (state and preempted_at at once)
-- fires both: a 'preempt-notice' and a 'state' event with state PREEMPTED.
CREATE TRIGGER lease_event_on_preempt AFTER UPDATE OF preempted_at ON lease
    FOR EACH ROW WHEN (OLD.preempted_at IS NULL AND NEW.preempted_at IS NOT NULL)
    EXECUTE FUNCTION notify_lease_event('preempt-notice');
