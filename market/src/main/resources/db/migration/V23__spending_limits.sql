-- A sponsor's monthly spending limit: bids whose worst-case cost would pass it are refused.
CREATE TABLE spending_limit (
    sponsor_id          uuid PRIMARY KEY REFERENCES account (id),
    currency            char(3) NOT NULL,
    monthly_limit_minor bigint NOT NULL CHECK (monthly_limit_minor >= 0),
    set_by              uuid REFERENCES account (id),
    set_at              timestamptz NOT NULL
);
