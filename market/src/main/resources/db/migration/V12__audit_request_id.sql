-- Every audited change names the token that asked and the request that made it; the request id
-- is the X-Request-Id its answer carried, so a person can quote it to support. Older events and
-- the market's own acts have neither. No foreign key to api_token: a token row may be deleted
-- one day, and its audit trail must stay.
ALTER TABLE audit_event
    ADD COLUMN actor_token_id uuid,
    ADD COLUMN request_id text CHECK (request_id ~ '^[A-Za-z0-9._:-]{1,128}$');

CREATE INDEX audit_event_request_idx ON audit_event (request_id) WHERE request_id IS NOT NULL;
