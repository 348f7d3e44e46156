-- Issue 16 item 3, the move itself: a following lease's guest moves to a server nearer its point.
-- A move books the new server (capacity slots and a quote, as any booking), then the old node saves
-- the guest and uploads its files here, the new node fetches and restores them, and the market puts
-- the lease on the new server. A lease has at most one unfinished move (the partial unique index),
-- so it is never booked twice.
CREATE TABLE lease_move (
    id              uuid PRIMARY KEY,
    lease_id        uuid NOT NULL REFERENCES lease (id),
    from_server_id  uuid NOT NULL REFERENCES server (id),
    to_server_id    uuid NOT NULL REFERENCES server (id),
    -- the quote the lease had before the move, and the quote of the new server (policy version and all)
    from_quote_id   uuid NOT NULL REFERENCES quote (id),
    new_quote_id    uuid NOT NULL REFERENCES quote (id),
    -- the hours booked on the new server, from the hour the move was booked to the lease's end
    booked_from     timestamptz NOT NULL,
    from_km         double precision NOT NULL CHECK (from_km >= 0),
    to_km           double precision NOT NULL CHECK (to_km >= 0),
    state           text NOT NULL CHECK (state IN ('BOOKED', 'SAVED', 'RESTORED', 'DONE', 'FAILED')),
    state_reason    text,
    booked_at       timestamptz NOT NULL,
    saved_at        timestamptz,
    restored_at     timestamptz,
    done_at         timestamptz,
    failed_at       timestamptz,
    CHECK (from_server_id <> to_server_id),
    CHECK ((state = 'FAILED') = (failed_at IS NOT NULL AND state_reason IS NOT NULL)),
    CHECK ((state = 'DONE') = (done_at IS NOT NULL))
);
CREATE UNIQUE INDEX lease_move_one_unfinished ON lease_move (lease_id) WHERE state IN ('BOOKED', 'SAVED', 'RESTORED');
CREATE INDEX lease_move_lease_idx ON lease_move (lease_id, id);
CREATE INDEX lease_move_to_server_idx ON lease_move (to_server_id) WHERE state IN ('BOOKED', 'SAVED', 'RESTORED');
CREATE INDEX lease_move_from_server_idx ON lease_move (from_server_id) WHERE state IN ('BOOKED', 'SAVED', 'RESTORED');

-- The saved guest's files, a private object of the lease: never in the image catalogue, fetched
-- only by the node of the move's new server. Deleted when the move ends (DONE or FAILED).
CREATE TABLE lease_move_file (
    move_id     uuid NOT NULL REFERENCES lease_move (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,100}$'),
    sha256      char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
    content     bytea NOT NULL,
    uploaded_at timestamptz NOT NULL,
    PRIMARY KEY (move_id, name),
    CHECK (octet_length(content) = size_bytes)
);

-- A move's step concerns the node that must act next: the old one (BOOKED: save), the new one
-- (SAVED: restore), both when it ends. Announced on the agents' channel as a lease event of kind
-- "move", so an agent fetches its leases at once instead of at its next poll.
CREATE FUNCTION notify_lease_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    l lease%ROWTYPE;
BEGIN
    SELECT * INTO l FROM lease WHERE id = NEW.lease_id;
    PERFORM pg_notify('lease_events', json_build_object(
        'leaseId', NEW.lease_id, 'state', l.state, 'sponsorId', l.sponsor_id, 'providerId', l.provider_id,
        'serverId', s, 'reason', 'move ' || NEW.state, 'at', now(), 'kind', 'move')::text)
    FROM unnest(ARRAY[NEW.from_server_id, NEW.to_server_id]) AS s;
    RETURN NEW;
END
$$;
CREATE TRIGGER lease_move_event AFTER INSERT OR UPDATE OF state ON lease_move
    FOR EACH ROW EXECUTE FUNCTION notify_lease_move();
