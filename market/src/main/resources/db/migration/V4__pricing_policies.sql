-- Versions of the pricing policy: DRL sources and the tables the rules read, with the golden quotes
-- each version must reproduce before it is activated. A version is immutable once stored; exactly
-- one is active. Every change is written to the audit log.
CREATE TABLE pricing_policy (
    version             text PRIMARY KEY CHECK (version ~ '^[A-Za-z0-9._-]{1,64}$'),
    state               text NOT NULL CHECK (state IN ('DRAFT', 'ACTIVE', 'RETIRED')),
    based_on            text REFERENCES pricing_policy (version),
    -- JSON object of DRL file name to source text; JSON of the tables; JSON of the golden quotes.
    drl_sources         text NOT NULL,
    tables              text NOT NULL,
    golden_quotes       text NOT NULL,
    checksum            char(64) NOT NULL,
    author_id           uuid REFERENCES account (id),
    note                text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    activated_at        timestamptz,
    retired_at          timestamptz,
    CHECK ((state = 'DRAFT') = (activated_at IS NULL))
);
-- At most one active version, whatever the code does.
CREATE UNIQUE INDEX pricing_policy_one_active ON pricing_policy ((true)) WHERE state = 'ACTIVE';

-- Who did what to which object, with the object before and after. Rows are only ever inserted.
CREATE TABLE audit_event (
    id          uuid PRIMARY KEY,
    actor_id    uuid REFERENCES account (id),
    actor_role  text NOT NULL,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text NOT NULL,
    before      text,
    after       text,
    detail      text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_event_object_idx ON audit_event (object_type, object_id, at);
