-- Issue 17, item 2: a clearing round books its placements set-based, and a quote it books no
-- longer carries some fifteen breakdown rows of its own (quote_price_effect). Instead the round stores
-- each price sheet it priced with once -- the server as the rules saw it, under which policy version,
-- as of when -- and each quote references its sheet and the reservation the round priced it at. The
-- breakdown is recomputable from these (policy version, sheet, reservation, and the request the quote
-- stores) by the same code that priced it, and is worked out again when the quote is read.
-- Quotes made one at a time (immediate matches, POST /quotes) keep their breakdown rows.
CREATE TABLE price_sheet (
    id              uuid PRIMARY KEY,
    server_id       uuid NOT NULL REFERENCES server (id),
    policy_version  text NOT NULL,
    as_of           timestamptz NOT NULL,
    -- the ServerSnapshot the rules priced, nothing reserved: provider, region, zone, capacity,
    -- floor prices and site, as JSON (PriceSheetSnapshot)
    snapshot        jsonb NOT NULL
);

ALTER TABLE quote
    ADD COLUMN price_sheet_id uuid REFERENCES price_sheet (id),
    ADD COLUMN priced_reserved_vcpus integer CHECK (priced_reserved_vcpus >= 0),
    ADD COLUMN priced_reserved_memory_mib bigint CHECK (priced_reserved_memory_mib >= 0),
    ADD COLUMN priced_reserved_disk_gib bigint CHECK (priced_reserved_disk_gib >= 0),
    -- a quote referencing a sheet names the reservation it was priced at, and only then
    ADD CONSTRAINT quote_sheet_with_reservation CHECK (
        (price_sheet_id IS NULL) = (priced_reserved_vcpus IS NULL)
        AND (price_sheet_id IS NULL) = (priced_reserved_memory_mib IS NULL)
        AND (price_sheet_id IS NULL) = (priced_reserved_disk_gib IS NULL));
