-- Provider reliability, and what the market tells node agents beyond a lease's state.

-- The periods a server was offline: opened by the offline sweep (from the last heartbeat it
-- had, since that is when the silence began) and closed by the next heartbeat. Uptime over a
-- trailing window is the window minus these periods; see the reliability package.
CREATE TABLE server_availability (
    server_id       uuid NOT NULL REFERENCES server (id),
    offline_from    timestamptz NOT NULL,
    online_at       timestamptz,
    PRIMARY KEY (server_id, offline_from),
    CHECK (online_at IS NULL OR online_at >= offline_from)
);
-- A server is offline at most once at a time.
CREATE UNIQUE INDEX server_availability_open_idx ON server_availability (server_id) WHERE online_at IS NULL;

-- The lowest server reliability score a bid accepts; NULL: any.
ALTER TABLE bid ADD COLUMN min_reliability double precision CHECK (min_reliability BETWEEN 0 AND 1);

-- Lease outcomes per server in a window, for the reliability score.
CREATE INDEX lease_server_outcome_idx ON lease (server_id, state);

-- A sponsor or operator may freeze a running lease's guest: the node agent suspends it while
-- suspended_at is set and resumes it when it is cleared. It is a flag beside the state, not a
-- state, because the lease's life (RUNNING, ENDING ...) goes on while the guest is frozen.
ALTER TABLE lease ADD COLUMN suspended_at timestamptz;

-- Suspending and resuming are announced on lease_events like state changes, so a node agent's
-- event stream hears of them at once.
CREATE TRIGGER lease_event_on_suspension AFTER UPDATE OF suspended_at ON lease
    FOR EACH ROW WHEN (OLD.suspended_at IS DISTINCT FROM NEW.suspended_at) EXECUTE FUNCTION notify_lease_event();
