-- Billing: invoice runs, invoices and their lines, issued once and never changed.
-- Kill Bill's rule: a committed invoice item is never updated or deleted; a correction is a new
-- document (a credit note) whose line points at the line it corrects.

-- One invoice run per billing period. Periods of runs never overlap, so no instant is billed twice.
CREATE TABLE invoice_run (
    id              uuid PRIMARY KEY,
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL,
    started_by      uuid REFERENCES account (id),
    started_at      timestamptz NOT NULL,
    CHECK (period_end > period_start),
    EXCLUDE USING gist (tstzrange(period_start, period_end) WITH &&)
);

-- An invoice (kind INVOICE, from a run) or a credit note (kind CREDIT_NOTE, correcting an invoice).
CREATE TABLE invoice (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE')),
    run_id          uuid REFERENCES invoice_run (id),
    -- The invoice a credit note corrects.
    corrects_id     uuid REFERENCES invoice (id),
    sponsor_id      uuid NOT NULL REFERENCES account (id),
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL,
    currency        char(3) NOT NULL,
    total_minor     bigint NOT NULL,
    issued_at       timestamptz NOT NULL,
    CHECK (period_end > period_start),
    CHECK ((kind = 'INVOICE') = (run_id IS NOT NULL AND corrects_id IS NULL)),
    CHECK ((kind = 'INVOICE' AND total_minor >= 0) OR (kind = 'CREDIT_NOTE' AND total_minor <= 0))
);
-- A sponsor has at most one invoice per currency for any instant.
ALTER TABLE invoice ADD CONSTRAINT invoice_periods_disjoint EXCLUDE USING gist
    (sponsor_id WITH =, currency WITH =, tstzrange(period_start, period_end) WITH &&) WHERE (kind = 'INVOICE');
CREATE INDEX invoice_sponsor_idx ON invoice (sponsor_id, id);
CREATE INDEX invoice_run_idx ON invoice (run_id);

-- One charge. quantity / quantity_per_unit priced units at unit_price: reserved resources are
-- resource-seconds (vCPU-seconds at 3600 a vCPU-hour, MiB-seconds at 3,686,400 a GiB-hour,
-- GiB-seconds of disk at 3600 a GiB-hour), egress bytes at 10^9 a GB. amount_minor is
-- minor_units(quantity * unit_price, quantity_per_unit, digits): recomputable from the line alone.
CREATE TABLE invoice_line (
    invoice_id          uuid NOT NULL REFERENCES invoice (id),
    line_no             integer NOT NULL CHECK (line_no > 0),
    kind                text NOT NULL CHECK (kind IN ('RESERVED_VCPU', 'RESERVED_MEMORY', 'RESERVED_DISK', 'EGRESS',
                                                      'CREDIT')),
    lease_id            uuid NOT NULL REFERENCES lease (id),
    -- Copied from the lease in the statement that inserts the line, so they are the lease's own
    -- (which the lease's foreign keys check); no foreign keys of their own: each check costs the
    -- invoice run a lookup per line, for nothing the lease's keys do not already guarantee.
    provider_id         uuid NOT NULL,
    quote_id            uuid NOT NULL,
    policy_version      text NOT NULL,
    -- The charged window: for reserved lines the lease's billed time within the period, for egress
    -- the period's hours whose rollups were summed.
    charged_from        timestamptz NOT NULL,
    charged_to          timestamptz NOT NULL,
    quantity            numeric NOT NULL CHECK (quantity >= 0),
    quantity_per_unit   bigint NOT NULL CHECK (quantity_per_unit > 0),
    unit_price          numeric(18, 6) NOT NULL CHECK (unit_price >= 0),
    amount_minor        bigint NOT NULL,
    currency            char(3) NOT NULL,
    -- Egress lines: how many hourly rollups were summed.
    rollups             integer NOT NULL DEFAULT 0 CHECK (rollups >= 0),
    -- A credit line: the line it corrects, and why.
    corrects_invoice_id uuid,
    corrects_line_no    integer,
    reason              text,
    PRIMARY KEY (invoice_id, line_no),
    FOREIGN KEY (corrects_invoice_id, corrects_line_no) REFERENCES invoice_line (invoice_id, line_no),
    CHECK (charged_to >= charged_from),
    CHECK ((kind = 'CREDIT') = (corrects_invoice_id IS NOT NULL AND corrects_line_no IS NOT NULL)),
    CHECK ((kind = 'CREDIT' AND amount_minor < 0) OR (kind <> 'CREDIT' AND amount_minor >= 0))
);
CREATE INDEX invoice_line_lease_idx ON invoice_line (lease_id);
CREATE INDEX invoice_line_corrects_idx ON invoice_line (corrects_invoice_id, corrects_line_no)
    WHERE corrects_invoice_id IS NOT NULL;

-- Issued documents are immutable: no UPDATE or DELETE path exists, whoever asks.
CREATE FUNCTION refuse_change_of_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are issued and immutable; correct them with a credit note', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_issued();
CREATE TRIGGER invoice_line_immutable BEFORE UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_issued();
CREATE TRIGGER invoice_run_immutable BEFORE UPDATE OR DELETE ON invoice_run
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_issued();
