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

-- The image catalogue: what guests boot, each file named by a URL the node agents fetch and the
-- SHA-256 they verify it against. Operators add images; bids name one, and their leases boot it.
CREATE TABLE image (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    kind            text NOT NULL CHECK (kind IN ('KERNEL', 'DISK')),
    kernel_url      text,
    kernel_sha256   text CHECK (kernel_sha256 ~ '^[0-9a-f]{64}$'),
    initrd_url      text,
    initrd_sha256   text CHECK (initrd_sha256 ~ '^[0-9a-f]{64}$'),
    cmdline         text CHECK (length(cmdline) <= 1024),
    disk_url        text,
    disk_sha256     text CHECK (disk_sha256 ~ '^[0-9a-f]{64}$'),
    disk_format     text CHECK (disk_format IN ('RAW', 'QCOW2')),
    created_by      uuid NOT NULL REFERENCES account (id),
    created_at      timestamptz NOT NULL,
    CHECK ((kind = 'KERNEL' AND kernel_url IS NOT NULL AND kernel_sha256 IS NOT NULL AND initrd_url IS NOT NULL
                AND initrd_sha256 IS NOT NULL AND disk_url IS NULL)
        OR (kind = 'DISK' AND disk_url IS NOT NULL AND disk_sha256 IS NOT NULL AND disk_format IS NOT NULL
                AND kernel_url IS NULL))
);

-- The image a bid's guest boots; NULL: the image the provider configured on its node agent.
ALTER TABLE bid ADD COLUMN image_id uuid REFERENCES image (id);
