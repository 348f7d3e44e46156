-- Payments through Stripe (package payment): customers, invoice payments with their attempts,
-- webhook events seen, leases held for unpaid invoices, providers' connected accounts and payouts.
-- Invoices themselves belong to billing: invoice_payment names an invoice by id only.

-- One Stripe Customer per sponsor, created once (idempotency key per sponsor).
CREATE TABLE payment_customer (
    sponsor_id          uuid PRIMARY KEY REFERENCES account (id),
    stripe_customer_id  text NOT NULL UNIQUE CHECK (length(stripe_customer_id) BETWEEN 1 AND 255),
    -- the payment method the last succeeded SetupIntent saved; charged off-session
    payment_method_id   text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

-- The collection of one invoice: one row, its current attempt and where it stands.
CREATE TABLE invoice_payment (
    invoice_id         uuid PRIMARY KEY,
    sponsor_id         uuid NOT NULL REFERENCES account (id),
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    state              text NOT NULL CHECK (state IN ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'UNCOLLECTIBLE')),
    attempt            integer NOT NULL CHECK (attempt >= 1),
    -- definitive failures (declines) so far; an attempt whose answer was lost is not one
    failures           integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    payment_intent_id  text,
    next_attempt_at    timestamptz,
    first_failed_at    timestamptz,
    last_error         text,
    paid_at            timestamptz,
    paid_by            text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CONSTRAINT invoice_payment_paid CHECK ((state = 'SUCCEEDED') = (paid_at IS NOT NULL AND paid_by IS NOT NULL))
);
CREATE INDEX invoice_payment_due ON invoice_payment (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX invoice_payment_sponsor ON invoice_payment (sponsor_id, state);

-- Every PaymentIntent asked for: the idempotency key is derived from invoice and attempt, so a
-- resent attempt can never become a second charge at Stripe.
CREATE TABLE payment_attempt (
    invoice_id         uuid NOT NULL REFERENCES invoice_payment (invoice_id),
    attempt            integer NOT NULL CHECK (attempt >= 1),
    idempotency_key    text NOT NULL UNIQUE,
    payment_intent_id  text,
    outcome            text NOT NULL CHECK (outcome IN ('SENT', 'UNKNOWN', 'SUCCEEDED', 'PROCESSING', 'DECLINED')),
    error              text,
    started_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (invoice_id, attempt)
);

-- Webhook events handled; a replayed event id is answered 200 and changes nothing.
CREATE TABLE stripe_event (
    id           text PRIMARY KEY,
    type         text NOT NULL,
    object_id    text,
    received_at  timestamptz NOT NULL
);

-- Leases the market suspended because their sponsor's invoice went unpaid after the last retry;
-- only these are resumed when it is paid (a lease the sponsor suspended itself stays suspended).
CREATE TABLE dunning_suspension (
    lease_id      uuid PRIMARY KEY REFERENCES lease (id),
    sponsor_id    uuid NOT NULL REFERENCES account (id),
    invoice_id    uuid NOT NULL REFERENCES invoice_payment (invoice_id),
    suspended_at  timestamptz NOT NULL
);
CREATE INDEX dunning_suspension_sponsor ON dunning_suspension (sponsor_id);

-- A provider's Stripe Connect account, where its payouts go.
CREATE TABLE connected_account (
    provider_id        uuid PRIMARY KEY REFERENCES account (id),
    stripe_account_id  text NOT NULL UNIQUE CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9]+$'),
    updated_at         timestamptz NOT NULL
);

-- Transfers to providers, net of the platform fee; one Stripe Transfer per payout, keyed by its id.
CREATE TABLE payout (
    id                 uuid PRIMARY KEY,
    provider_id        uuid NOT NULL REFERENCES account (id),
    request_key        text NOT NULL CHECK (length(request_key) BETWEEN 1 AND 255),
    gross_minor        bigint NOT NULL CHECK (gross_minor > 0),
    fee_minor          bigint NOT NULL CHECK (fee_minor >= 0),
    net_minor          bigint NOT NULL CHECK (net_minor > 0),
    currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    destination        text NOT NULL,
    state              text NOT NULL CHECK (state IN ('PENDING', 'PAID', 'FAILED')),
    transfer_id        text UNIQUE,
    last_error         text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    paid_at            timestamptz,
    UNIQUE (provider_id, request_key),
    CONSTRAINT payout_net CHECK (net_minor = gross_minor - fee_minor),
    CONSTRAINT payout_paid CHECK ((state = 'PAID') = (transfer_id IS NOT NULL AND paid_at IS NOT NULL))
);
CREATE INDEX payout_pending ON payout (created_at) WHERE state = 'PENDING';
