-- Node agents: a provider registers the agent of one of its servers, which then authenticates with
-- a node token bound to that server, heartbeats, and reports the state of the server's leases.

-- A node token acts for exactly one server; every other role acts for a whole account.
ALTER TABLE api_token ADD COLUMN server_id uuid REFERENCES server (id);
ALTER TABLE api_token ADD CONSTRAINT api_token_node_has_server CHECK ((role = 'node') = (server_id IS NOT NULL));

-- The agent of a server. Registering again (e.g. after the agent lost its state directory)
-- replaces the key and the token, so there is at most one node per server.
CREATE TABLE node (
    id                  uuid PRIMARY KEY,
    server_id           uuid NOT NULL UNIQUE REFERENCES server (id),
    token_id            uuid NOT NULL REFERENCES api_token (id),
    -- base64 of the X.509 SubjectPublicKeyInfo of the node's Ed25519 key; it will sign usage.
    public_key          text NOT NULL,
    hypervisor          text NOT NULL CHECK (hypervisor IN ('XEN', 'KVM', 'QEMU', 'SIMULATED')),
    -- What the host really has, as the agent measured it at registration.
    host_vcpus          integer NOT NULL CHECK (host_vcpus > 0),
    host_memory_mib     bigint NOT NULL CHECK (host_memory_mib > 0),
    host_disk_gib       bigint NOT NULL CHECK (host_disk_gib > 0),
    -- What the last heartbeat said is free, and how many guests ran then.
    free_vcpus          integer CHECK (free_vcpus >= 0),
    free_memory_mib     bigint CHECK (free_memory_mib >= 0),
    free_disk_gib       bigint CHECK (free_disk_gib >= 0),
    guests              integer CHECK (guests >= 0),
    registered_at       timestamptz NOT NULL,
    last_heartbeat_at   timestamptz
);

-- Why a lease is in its state (shown to the sponsor), and when it started, failed or ended:
-- a failed lease is not charged beyond failed_at.
ALTER TABLE lease ADD COLUMN state_reason text CHECK (length(state_reason) <= 1000);
ALTER TABLE lease ADD COLUMN running_at timestamptz;
ALTER TABLE lease ADD COLUMN failed_at timestamptz;
ALTER TABLE lease ADD COLUMN ended_at timestamptz;
ALTER TABLE lease ADD CONSTRAINT lease_failed_has_time CHECK ((state = 'FAILED') = (failed_at IS NOT NULL));
ALTER TABLE lease ADD CONSTRAINT lease_failed_has_reason CHECK (state <> 'FAILED' OR state_reason IS NOT NULL);

-- The sweep looks for active servers whose heartbeat is overdue.
CREATE INDEX server_heartbeat_idx ON server (state, last_heartbeat_at);

-- Until now a server was ACTIVE from its listing, with no agent behind it. From here on only a
-- heartbeat makes a server ACTIVE, so servers no agent ever vouched for wait for theirs.
UPDATE server SET state = 'PENDING' WHERE state = 'ACTIVE' AND last_heartbeat_at IS NULL;
