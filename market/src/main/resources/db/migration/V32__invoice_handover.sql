-- Billing's record of which issued invoices it has handed to the payment side for collection, and
-- for how much (the invoice's total less the credit notes issued against it by then). Written once
-- per invoice; invoices themselves stay immutable. The payment sweep reads the invoices without a
-- row here, collects them, then writes the row (see market/README.md, Billing and Payments).
CREATE TABLE invoice_handover (
    invoice_id      uuid PRIMARY KEY REFERENCES invoice (id),
    amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
    handed_over_at  timestamptz NOT NULL
);
