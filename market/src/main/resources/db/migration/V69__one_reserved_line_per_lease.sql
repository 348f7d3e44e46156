-- One RESERVED line per lease and period instead of three (RESERVED_VCPU, RESERVED_MEMORY,
-- RESERVED_DISK): the invoice run of a month inserts half the lines, and checks half the foreign
-- keys, it did (issue 14, item 7). The line carries the lease's reserved resources and their unit
-- prices, so it still explains itself without the lease:
--   quantity          = seconds of the lease's window within the period
--   quantity_per_unit = 3600 (an hour)
--   unit_price        = the reservation's price per hour
--                     = vcpus * unit_vcpu_hour + memory_mib / 1024 * unit_memory_gib_hour + disk_gib * unit_disk_gib_hour
--   amount_minor      = minor_units(quantity * unit_price, 3600, digits), rounded once for the lease.
-- Lines of the three old kinds, already issued, stay as they are (issued lines never change).
ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_kind_check;
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_kind_check
    CHECK (kind IN ('RESERVED', 'RESERVED_VCPU', 'RESERVED_MEMORY', 'RESERVED_DISK', 'EGRESS', 'LATE_EGRESS', 'CREDIT'));

-- The hourly price of a reservation has up to 16 decimals (a sixth-decimal GiB price divided by
-- 1024 = 2^10 is exact in 10 more); a rounded unit price would not recompute the amount.
ALTER TABLE invoice_line ALTER COLUMN unit_price TYPE numeric;

ALTER TABLE invoice_line
    ADD COLUMN vcpus                integer CHECK (vcpus > 0),
    ADD COLUMN memory_mib           bigint CHECK (memory_mib > 0),
    ADD COLUMN disk_gib             bigint CHECK (disk_gib >= 0),
    ADD COLUMN unit_vcpu_hour       numeric(18, 6) CHECK (unit_vcpu_hour >= 0),
    ADD COLUMN unit_memory_gib_hour numeric(18, 6) CHECK (unit_memory_gib_hour >= 0),
    ADD COLUMN unit_disk_gib_hour   numeric(18, 6) CHECK (unit_disk_gib_hour >= 0),
    -- A RESERVED line, and only it, carries the reservation; its unit price is the reservation's
    -- hourly price to the last digit (1/1024 = 0.0009765625 exactly, so the product is exact).
    ADD CONSTRAINT invoice_line_reservation_check CHECK (
        (kind = 'RESERVED') = (vcpus IS NOT NULL AND memory_mib IS NOT NULL AND disk_gib IS NOT NULL
            AND unit_vcpu_hour IS NOT NULL AND unit_memory_gib_hour IS NOT NULL AND unit_disk_gib_hour IS NOT NULL)),
    ADD CONSTRAINT invoice_line_reserved_price_check CHECK (
        kind <> 'RESERVED' OR (quantity_per_unit = 3600 AND unit_price = vcpus * unit_vcpu_hour
            + memory_mib * unit_memory_gib_hour * 0.0009765625 + disk_gib * unit_disk_gib_hour));
