-- Every change of a lease's state is announced on the channel lease_events when its transaction
-- commits, whichever market instance or code path made it; instances relay these to the
-- server-sent event streams of sponsors, providers and node agents.
CREATE FUNCTION notify_lease_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lease_events', json_build_object(
        'leaseId', NEW.id,
        'state', NEW.state,
        'sponsorId', NEW.sponsor_id,
        'providerId', NEW.provider_id,
        'serverId', NEW.server_id,
        'reason', NEW.state_reason,
        'at', now())::text);
    RETURN NEW;
END
$$;

CREATE TRIGGER lease_event_on_insert AFTER INSERT ON lease
    FOR EACH ROW EXECUTE FUNCTION notify_lease_event();
CREATE TRIGGER lease_event_on_state AFTER UPDATE OF state ON lease
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION notify_lease_event();
