-- GPUs by model (issue 16, item 4). A server's accelerators are whole devices of a catalogue model, each
-- booked per hour by at most one lease: the primary key of accelerator_slot is the guard, as capacity_slot's
-- CHECKs are for divisible capacity, so no code path can give one device to two leases.

-- What the server lists, as text for views ("model:count,..." in the provider's order); null: none.
ALTER TABLE server ADD COLUMN accelerators text;

CREATE TABLE accelerator_device (
    id           uuid PRIMARY KEY,
    server_id    uuid NOT NULL REFERENCES server (id),
    model        text NOT NULL CHECK (model ~ '^[a-z0-9][a-z0-9.-]{0,63}$'),
    -- the device's place among the server's devices of its model, from 0
    position     integer NOT NULL CHECK (position >= 0 AND position < 16),
    -- domain:bus:slot.function, lower case; null when the provider gave no addresses (simulated nodes)
    pci_address  text CHECK (pci_address ~ '^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]$'),
    UNIQUE (server_id, model, position),
    UNIQUE (server_id, pci_address)
);

CREATE TABLE accelerator_slot (
    device_id    uuid NOT NULL REFERENCES accelerator_device (id),
    bucket_start timestamptz NOT NULL CHECK (date_trunc('hour', bucket_start) = bucket_start),
    -- deferred: the booking takes the devices before the lease row is written, in the same transaction
    lease_id     uuid NOT NULL REFERENCES lease (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (device_id, bucket_start)
);
CREATE INDEX accelerator_slot_lease ON accelerator_slot (lease_id);

-- What a bid, a quote and a lease ask for: one model and a count of 1..16, or neither.
ALTER TABLE bid ADD COLUMN accelerator_model text,
    ADD COLUMN accelerator_count integer CHECK (accelerator_count BETWEEN 1 AND 16),
    ADD CONSTRAINT bid_accelerators_whole CHECK ((accelerator_model IS NULL) = (accelerator_count IS NULL));
ALTER TABLE quote ADD COLUMN accelerator_model text,
    ADD COLUMN accelerator_count integer CHECK (accelerator_count BETWEEN 1 AND 16),
    ADD CONSTRAINT quote_accelerators_whole CHECK ((accelerator_model IS NULL) = (accelerator_count IS NULL));
-- the lease also keeps the devices it was given: PCI addresses, or "#position" for unaddressed devices
ALTER TABLE lease ADD COLUMN accelerator_model text,
    ADD COLUMN accelerator_count integer CHECK (accelerator_count BETWEEN 1 AND 16),
    ADD COLUMN accelerator_devices text,
    ADD CONSTRAINT lease_accelerators_whole CHECK ((accelerator_model IS NULL) = (accelerator_count IS NULL)
        AND (accelerator_model IS NULL) = (accelerator_devices IS NULL));

-- a quote's breakdown may now hold the accelerator line
ALTER TABLE quote_price_effect DROP CONSTRAINT quote_price_effect_resource_check;
ALTER TABLE quote_price_effect ADD CONSTRAINT quote_price_effect_resource_check
    CHECK (resource IN ('VCPU', 'MEMORY', 'DISK', 'EGRESS', 'ACCELERATOR'));
