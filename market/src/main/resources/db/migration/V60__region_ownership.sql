-- Regions owned by market replicas (issue 17, item 5). Each replica heartbeats its row in
-- market_replica; each region has one lease row naming the replica that clears it until expires_at.
-- A replica renews its own leases and claims free or expired ones up to its fair share of the
-- regions. epoch is the fencing token: it grows by one whenever a region changes hands, and a
-- round's booking transaction books only while the lease still carries the epoch the round started
-- under (region_lease is read FOR SHARE there, so a takeover waits for that chunk's commit).
-- All instants are the database's clock (now()), so replicas' clocks need not agree.

CREATE TABLE market_replica (
    id           uuid PRIMARY KEY,
    host         text NOT NULL,
    pid          bigint NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    -- alive while expires_at is in the future; rows dead for an hour are purged by the others
    expires_at   timestamptz NOT NULL
);

CREATE INDEX market_replica_expires ON market_replica (expires_at);

CREATE TABLE region_lease (
    region      text PRIMARY KEY REFERENCES region (code) ON DELETE CASCADE,
    -- no foreign key: a lease keeps naming a replica whose row was purged until someone claims it
    owner       uuid,
    epoch       bigint NOT NULL DEFAULT 0 CHECK (epoch >= 0),
    acquired_at timestamptz,
    expires_at  timestamptz NOT NULL DEFAULT '-infinity',
    CHECK (owner IS NOT NULL OR expires_at = '-infinity')
);

CREATE INDEX region_lease_owner ON region_lease (owner);

INSERT INTO region_lease (region) SELECT code FROM region;
