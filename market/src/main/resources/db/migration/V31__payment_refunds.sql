-- Refunds of paid invoices (package payment): one Stripe Refund per row, keyed by its id. What is
-- refunded never exceeds what was paid: checked under the invoice payment's row lock.
CREATE TABLE payment_refund (
    id                uuid PRIMARY KEY,
    invoice_id        uuid NOT NULL REFERENCES invoice_payment (invoice_id),
    request_key       text NOT NULL CHECK (length(request_key) BETWEEN 1 AND 255),
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    payment_intent_id text NOT NULL,
    state             text NOT NULL CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    stripe_refund_id  text UNIQUE,
    reason            text,
    last_error        text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (invoice_id, request_key),
    CONSTRAINT payment_refund_done CHECK ((state = 'SUCCEEDED') = (stripe_refund_id IS NOT NULL))
);
CREATE INDEX payment_refund_pending ON payment_refund (created_at) WHERE state = 'PENDING';
