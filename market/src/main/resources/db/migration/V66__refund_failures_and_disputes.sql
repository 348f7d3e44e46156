-- Refunds Stripe reports failed after accepting them, and disputes (chargebacks) of payments.

-- A refund Stripe accepted and later reported failed keeps its Stripe id: FAILED may now carry one.
ALTER TABLE payment_refund DROP CONSTRAINT payment_refund_done;
ALTER TABLE payment_refund ADD CONSTRAINT payment_refund_done
    CHECK ((state <> 'SUCCEEDED' OR stripe_refund_id IS NOT NULL) AND (state <> 'PENDING' OR stripe_refund_id IS NULL));

-- A dispute of the PaymentIntent that paid an invoice. OPEN until Stripe closes it; WON and LOST are
-- final, so an event arriving late (created after closed) never reopens it.
CREATE TABLE payment_dispute (
    id                text PRIMARY KEY CHECK (id ~ '^dp_'),
    invoice_id        uuid NOT NULL REFERENCES invoice (id),
    payment_intent_id text NOT NULL,
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status            text NOT NULL CHECK (status IN ('OPEN', 'WON', 'LOST')),
    reason            text,
    opened_at         timestamptz NOT NULL,
    closed_at         timestamptz,
    CHECK ((status = 'OPEN') = (closed_at IS NULL))
);
CREATE INDEX payment_dispute_invoice_idx ON payment_dispute (invoice_id);

-- Two more kinds of journal entry, each under the Stripe id it answers (unique, so a replay posts
-- nothing): REFUND_FAILED reverses a refund's entry (cash back up, the sponsor's receivable back
-- down); DISPUTE_LOST takes a charged-back payment out of cash and puts it back on the sponsor's
-- receivable, which the invoice then shows as outstanding again.
ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_kind_check;
ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check
    CHECK (kind IN ('INVOICE', 'CREDIT_NOTE', 'PAYMENT', 'REFUND', 'PAYOUT', 'REFUND_FAILED', 'DISPUTE_LOST'));
ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_check;
ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_check
    CHECK ((kind IN ('INVOICE', 'CREDIT_NOTE', 'PAYMENT', 'REFUND', 'REFUND_FAILED', 'DISPUTE_LOST'))
           = (invoice_id IS NOT NULL));
ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_check1;
ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_check1
    CHECK ((kind IN ('PAYMENT', 'REFUND', 'PAYOUT', 'REFUND_FAILED', 'DISPUTE_LOST')) = (provider_reference IS NOT NULL));
