-- Issue 16 item 3, code that follows its users: a lease may follow a point that its sponsor, or a
-- device holding a token scoped to that one lease, moves. The point is kept per lease with when it
-- last changed, which is what the per-lease minimum interval between updates is measured from.
CREATE TABLE lease_follow (
    lease_id               uuid PRIMARY KEY REFERENCES lease (id),
    latitude               double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude              double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    -- a server must be nearer than the current one by more than this before the lease moves
    move_when_nearer_by_km double precision NOT NULL CHECK (move_when_nearer_by_km > 0
                                                            AND move_when_nearer_by_km <= 20000),
    updated_at             timestamptz NOT NULL,
    updated_by_token       uuid REFERENCES api_token (id)
);

-- A device token acts for one lease and may only move that lease's follow point.
ALTER TABLE api_token DROP CONSTRAINT api_token_role_check;
ALTER TABLE api_token ADD CONSTRAINT api_token_role_check
    CHECK (role IN ('sponsor', 'provider', 'finance', 'operator', 'node', 'device'));
ALTER TABLE api_token ADD COLUMN lease_id uuid REFERENCES lease (id);
ALTER TABLE api_token ADD CONSTRAINT api_token_device_has_lease CHECK ((role = 'device') = (lease_id IS NOT NULL));
