-- Requests made with an Idempotency-Key, as Stripe keeps them: the first answer (status, location,
-- body bytes) saved under (account, key) with a hash of the request's parameters, so a retry gets
-- that answer again and another request reusing the key is told so. IN_FLIGHT while the first
-- request runs; purged a retention period (at least 24 h) after it was made.
CREATE TABLE idempotent_request (
    account_id    uuid        NOT NULL REFERENCES account (id),
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    operation     text        NOT NULL CHECK (length(operation) BETWEEN 1 AND 200),
    request_hash  bytea       NOT NULL CHECK (length(request_hash) = 32),
    state         text        NOT NULL CHECK (state IN ('IN_FLIGHT', 'DONE')),
    status        int         CHECK (status BETWEEN 100 AND 599),
    location      text        CHECK (length(location) <= 2000),
    body          bytea,
    created_at    timestamptz NOT NULL,
    claimed_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    PRIMARY KEY (account_id, key),
    CHECK ((state = 'DONE') = (status IS NOT NULL AND body IS NOT NULL AND completed_at IS NOT NULL))
);

CREATE INDEX idempotent_request_created_idx ON idempotent_request (created_at);
