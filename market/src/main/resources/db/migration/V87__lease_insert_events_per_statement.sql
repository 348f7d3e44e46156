-- A new lease is still announced on lease_events, one notification per lease with the same payload as
-- notify_lease_event (V9) gives it, but by one trigger call per INSERT statement over its transition
-- table instead of one PL/pgSQL call per row: a clearing round inserts 5,000 leases in a statement,
-- and the row trigger was about a third of that statement's time (docs/benchmarks.md, issue 17).
-- The state, pre-emption and suspension triggers stay per row: they fire on single-lease updates.
CREATE FUNCTION notify_lease_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lease_events', json_build_object(
        'leaseId', n.id,
        'kind', 'state',
        'state', n.state,
        'sponsorId', n.sponsor_id,
        'providerId', n.provider_id,
        'serverId', n.server_id,
        'reason', n.state_reason,
        'end', n.end_at,
        'preemptedAt', n.preempted_at,
        'at', now())::text)
    FROM inserted_leases n;
    RETURN NULL;
END
$$;

DROP TRIGGER lease_event_on_insert ON lease;
CREATE TRIGGER lease_event_on_insert AFTER INSERT ON lease REFERENCING NEW TABLE AS inserted_leases
    FOR EACH STATEMENT EXECUTE FUNCTION notify_lease_events_inserted();
