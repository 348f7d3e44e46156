-- The first cut of the market's domain: accounts and their API tokens, regions and sites,
-- servers, quotes, bids, leases, and the capacity slots that make overbooking impossible.
-- Every instant is timestamptz (UTC); every amount of money is numeric with its currency.

CREATE TABLE account (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('SPONSOR', 'PROVIDER', 'OPERATOR')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Tokens are random 256-bit secrets, so a SHA-256 of the token is enough to store them safely.
CREATE TABLE api_token (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES account (id),
    role        text NOT NULL CHECK (role IN ('sponsor', 'provider', 'finance', 'operator', 'node')),
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    label       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE region (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{2,32}$'),
    name        text NOT NULL
);

CREATE TABLE site (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,64}$'),
    region_code text NOT NULL REFERENCES region (code),
    city        text NOT NULL,
    country     char(2) NOT NULL,
    latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    time_zone   text NOT NULL
);

CREATE TABLE server (
    id                  uuid PRIMARY KEY,
    provider_id         uuid NOT NULL REFERENCES account (id),
    site_id             uuid NOT NULL REFERENCES site (id),
    name                text NOT NULL,
    vcpus               integer NOT NULL CHECK (vcpus > 0),
    memory_mib          bigint NOT NULL CHECK (memory_mib > 0),
    disk_gib            bigint NOT NULL CHECK (disk_gib > 0),
    egress_mbps         bigint NOT NULL CHECK (egress_mbps > 0),
    hypervisor          text NOT NULL CHECK (hypervisor IN ('XEN', 'KVM', 'QEMU', 'SIMULATED')),
    state               text NOT NULL CHECK (state IN ('PENDING', 'ACTIVE', 'DRAINING', 'OFFLINE')),
    currency            char(3) NOT NULL,
    floor_vcpu_hour     numeric(18, 6) NOT NULL DEFAULT 0 CHECK (floor_vcpu_hour >= 0),
    floor_memory_gib_hour numeric(18, 6) NOT NULL DEFAULT 0 CHECK (floor_memory_gib_hour >= 0),
    floor_disk_gib_hour numeric(18, 6) NOT NULL DEFAULT 0 CHECK (floor_disk_gib_hour >= 0),
    floor_egress_gb     numeric(18, 6) NOT NULL DEFAULT 0 CHECK (floor_egress_gb >= 0),
    last_heartbeat_at   timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider_id, name)
);
CREATE INDEX server_site_idx ON server (site_id);

-- What is reserved on a server in one hour. The CHECKs are the market's last word against
-- overbooking: no code path can commit a slot whose reservations exceed the server's capacity.
CREATE TABLE capacity_slot (
    server_id           uuid NOT NULL REFERENCES server (id),
    bucket_start        timestamptz NOT NULL CHECK (date_trunc('hour', bucket_start) = bucket_start),
    capacity_vcpus      integer NOT NULL,
    capacity_memory_mib bigint NOT NULL,
    capacity_disk_gib   bigint NOT NULL,
    reserved_vcpus      integer NOT NULL CHECK (reserved_vcpus BETWEEN 0 AND capacity_vcpus),
    reserved_memory_mib bigint NOT NULL CHECK (reserved_memory_mib BETWEEN 0 AND capacity_memory_mib),
    reserved_disk_gib   bigint NOT NULL CHECK (reserved_disk_gib BETWEEN 0 AND capacity_disk_gib),
    PRIMARY KEY (server_id, bucket_start)
);

CREATE TABLE quote (
    id                  uuid PRIMARY KEY,
    sponsor_id          uuid NOT NULL REFERENCES account (id),
    server_id           uuid NOT NULL REFERENCES server (id),
    service_class       text NOT NULL CHECK (service_class IN ('RESERVED', 'BEST_EFFORT')),
    vcpus               integer NOT NULL CHECK (vcpus > 0),
    memory_mib          bigint NOT NULL CHECK (memory_mib > 0),
    disk_gib            bigint NOT NULL CHECK (disk_gib >= 0),
    expected_egress_gb  bigint NOT NULL CHECK (expected_egress_gb >= 0),
    start_at            timestamptz NOT NULL,
    duration_hours      integer NOT NULL CHECK (duration_hours > 0),
    currency            char(3) NOT NULL,
    unit_vcpu_hour      numeric(18, 6) NOT NULL CHECK (unit_vcpu_hour >= 0),
    unit_memory_gib_hour numeric(18, 6) NOT NULL CHECK (unit_memory_gib_hour >= 0),
    unit_disk_gib_hour  numeric(18, 6) NOT NULL CHECK (unit_disk_gib_hour >= 0),
    unit_egress_gb      numeric(18, 6) NOT NULL CHECK (unit_egress_gb >= 0),
    price_per_hour      numeric(18, 6) NOT NULL CHECK (price_per_hour >= 0),
    total               numeric(18, 2) NOT NULL CHECK (total >= 0),
    policy_version      text NOT NULL,
    valid_until         timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- The quote's breakdown, one row per rule effect, so finance can audit a price line by line.
CREATE TABLE quote_price_effect (
    quote_id    uuid NOT NULL REFERENCES quote (id),
    position    integer NOT NULL CHECK (position >= 0),
    rule        text NOT NULL,
    resource    text NOT NULL CHECK (resource IN ('VCPU', 'MEMORY', 'DISK', 'EGRESS')),
    effect      text NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (quote_id, position)
);

CREATE TABLE bid (
    id                  uuid PRIMARY KEY,
    sponsor_id          uuid NOT NULL REFERENCES account (id),
    idempotency_key     text,
    -- SHA-256 of the request as submitted, to tell a retry from a different request under the same key.
    request_fingerprint bytea NOT NULL,
    service_class       text NOT NULL CHECK (service_class IN ('RESERVED', 'BEST_EFFORT')),
    vcpus               integer NOT NULL CHECK (vcpus > 0),
    memory_mib          bigint NOT NULL CHECK (memory_mib > 0),
    disk_gib            bigint NOT NULL CHECK (disk_gib >= 0),
    near_latitude       double precision NOT NULL CHECK (near_latitude BETWEEN -90 AND 90),
    near_longitude      double precision NOT NULL CHECK (near_longitude BETWEEN -180 AND 180),
    within_km           double precision NOT NULL CHECK (within_km > 0),
    start_at            timestamptz NOT NULL,
    duration_hours      integer NOT NULL CHECK (duration_hours > 0),
    currency            char(3) NOT NULL,
    max_price_per_hour  numeric(18, 6) NOT NULL CHECK (max_price_per_hour > 0),
    state               text NOT NULL CHECK (state IN ('OPEN', 'MATCHED', 'CANCELLED', 'EXPIRED')),
    state_reason        text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sponsor_id, idempotency_key)
);
CREATE INDEX bid_sponsor_idx ON bid (sponsor_id, id);

CREATE TABLE lease (
    id                  uuid PRIMARY KEY,
    bid_id              uuid NOT NULL UNIQUE REFERENCES bid (id),
    quote_id            uuid NOT NULL REFERENCES quote (id),
    sponsor_id          uuid NOT NULL REFERENCES account (id),
    server_id           uuid NOT NULL REFERENCES server (id),
    -- The server's provider, kept on the lease so a provider's leases are one index scan away.
    provider_id         uuid NOT NULL REFERENCES account (id),
    service_class       text NOT NULL CHECK (service_class IN ('RESERVED', 'BEST_EFFORT')),
    vcpus               integer NOT NULL CHECK (vcpus > 0),
    memory_mib          bigint NOT NULL CHECK (memory_mib > 0),
    disk_gib            bigint NOT NULL CHECK (disk_gib >= 0),
    start_at            timestamptz NOT NULL,
    end_at              timestamptz NOT NULL,
    currency            char(3) NOT NULL,
    unit_vcpu_hour      numeric(18, 6) NOT NULL CHECK (unit_vcpu_hour >= 0),
    unit_memory_gib_hour numeric(18, 6) NOT NULL CHECK (unit_memory_gib_hour >= 0),
    unit_disk_gib_hour  numeric(18, 6) NOT NULL CHECK (unit_disk_gib_hour >= 0),
    unit_egress_gb      numeric(18, 6) NOT NULL CHECK (unit_egress_gb >= 0),
    price_per_hour      numeric(18, 6) NOT NULL CHECK (price_per_hour >= 0),
    policy_version      text NOT NULL,
    state               text NOT NULL CHECK (state IN ('PENDING', 'STARTING', 'RUNNING', 'ENDING', 'ENDED', 'PREEMPTED', 'FAILED')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at > start_at)
);
CREATE INDEX lease_sponsor_idx ON lease (sponsor_id, id);
CREATE INDEX lease_server_idx ON lease (server_id, id);
CREATE INDEX lease_provider_idx ON lease (provider_id, id);

-- Great-circle distance in km (haversine on a sphere of radius 6371 km); enough for placement.
CREATE FUNCTION km_between(lat1 double precision, lon1 double precision,
                           lat2 double precision, lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 2 * 6371.0 * asin(least(1.0, sqrt(
        power(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$$;
