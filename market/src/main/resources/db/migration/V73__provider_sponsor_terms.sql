-- Providers' own terms for sponsors (issue 16, item 5): who may buy on their servers (everyone, only
-- an allow list, or everyone but a deny list), a discount or surcharge per sponsor account, and
-- loyalty tiers by what a sponsor spent with the provider over a window of days. The pricing rules
-- read the adjustments and tiers as facts of each of the provider's servers.
CREATE TABLE provider_sponsor_terms (
    provider_id          uuid PRIMARY KEY REFERENCES account (id),
    access               text NOT NULL CHECK (access IN ('ALL', 'ALLOW_LIST', 'DENY_LIST')),
    -- 0 when the provider has no loyalty tiers
    loyalty_window_days  integer NOT NULL CHECK (loyalty_window_days BETWEEN 0 AND 366),
    currency             char(3) NOT NULL,
    updated_by           uuid NOT NULL,
    updated_at           timestamptz NOT NULL
);

-- The allow list or the deny list, as access says (ignored when access is ALL, and then empty).
CREATE TABLE provider_sponsor_listed (
    provider_id  uuid NOT NULL REFERENCES provider_sponsor_terms (provider_id) ON DELETE CASCADE,
    sponsor_id   uuid NOT NULL REFERENCES account (id),
    PRIMARY KEY (provider_id, sponsor_id)
);

-- A signed fraction of every unit price: -0.10 is 10% off, 0.05 is 5% more.
CREATE TABLE provider_sponsor_adjustment (
    provider_id  uuid NOT NULL REFERENCES provider_sponsor_terms (provider_id) ON DELETE CASCADE,
    sponsor_id   uuid NOT NULL REFERENCES account (id),
    adjustment   numeric(6, 4) NOT NULL CHECK (adjustment <> 0 AND adjustment BETWEEN -0.5 AND 1),
    PRIMARY KEY (provider_id, sponsor_id)
);

CREATE TABLE provider_loyalty_tier (
    provider_id      uuid NOT NULL REFERENCES provider_sponsor_terms (provider_id) ON DELETE CASCADE,
    min_spend_minor  bigint NOT NULL CHECK (min_spend_minor > 0),
    discount         numeric(6, 4) NOT NULL CHECK (discount > 0 AND discount <= 0.5),
    PRIMARY KEY (provider_id, min_spend_minor)
);

-- A sponsor's spend with a provider over the last days: invoice lines by provider and charged window.
CREATE INDEX IF NOT EXISTS invoice_line_provider_charged_idx ON invoice_line (provider_id, charged_to);
