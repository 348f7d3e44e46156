-- Usage records signed by node agents, accepted exactly once, and their hourly rollups per lease.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE usage_record (
    node_id             uuid NOT NULL REFERENCES node (id),
    sequence            bigint NOT NULL CHECK (sequence > 0),
    lease_id            uuid NOT NULL REFERENCES lease (id),
    t0                  timestamptz NOT NULL,
    t1                  timestamptz NOT NULL,
    cpu_nanos           bigint NOT NULL CHECK (cpu_nanos >= 0),
    memory_mib_seconds  bigint NOT NULL CHECK (memory_mib_seconds >= 0),
    net_rx_bytes        bigint NOT NULL CHECK (net_rx_bytes >= 0),
    net_tx_bytes        bigint NOT NULL CHECK (net_tx_bytes >= 0),
    disk_read_bytes     bigint NOT NULL CHECK (disk_read_bytes >= 0),
    disk_write_bytes    bigint NOT NULL CHECK (disk_write_bytes >= 0),
    -- The Ed25519 signature over the record's canonical bytes, kept so any charge can be re-verified.
    signature           bytea NOT NULL CHECK (length(signature) = 64),
    received_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_id, sequence),
    CHECK (t1 > t0),
    -- No two records of a lease may cover the same instant: usage is never counted twice.
    EXCLUDE USING gist (lease_id WITH =, tstzrange(t0, t1) WITH &&)
);

-- Usage per lease and hour; a record spanning an hour boundary is split in proportion to time,
-- with the rounding remainder in its last hour, so rollups add up exactly to the records.
CREATE TABLE usage_hourly (
    lease_id            uuid NOT NULL REFERENCES lease (id),
    hour                timestamptz NOT NULL CHECK (date_trunc('hour', hour) = hour),
    server_id           uuid NOT NULL REFERENCES server (id),
    cpu_nanos           bigint NOT NULL DEFAULT 0,
    memory_mib_seconds  bigint NOT NULL DEFAULT 0,
    net_rx_bytes        bigint NOT NULL DEFAULT 0,
    net_tx_bytes        bigint NOT NULL DEFAULT 0,
    disk_read_bytes     bigint NOT NULL DEFAULT 0,
    disk_write_bytes    bigint NOT NULL DEFAULT 0,
    records             integer NOT NULL DEFAULT 0,
    PRIMARY KEY (lease_id, hour)
);
CREATE INDEX usage_hourly_server_idx ON usage_hourly (server_id, hour);
