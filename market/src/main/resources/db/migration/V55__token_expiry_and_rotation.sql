-- API tokens expire, are rotated and are told apart as a person's (a sign-in session) or a program's.
--
-- expires_at: after it the bearer filter refuses the token (401). NULL only for tokens that end another
-- way: node tokens (a node's re-registration revokes its old token) and the demo's printed tokens. A row
-- inserted straight in SQL without it (an operator's or a test's) gets the API's default, 90 days.
ALTER TABLE api_token ADD COLUMN expires_at timestamptz DEFAULT (now() + interval '90 days');
ALTER TABLE api_token ADD CONSTRAINT api_token_expires_after_creation
    CHECK (expires_at IS NULL OR expires_at > created_at);

-- A session's token ends with its session.
UPDATE api_token t SET expires_at = s.expires_at FROM person_session s WHERE s.token_id = t.id;
-- Node and demo tokens keep no expiry, as said above; program tokens made before this migration get
-- the default 90 days from now (the DEFAULT already filled them in, from the migration's now()).
UPDATE api_token SET expires_at = NULL WHERE role = 'node' OR label = 'demo';

-- The person who made a program's token (while signed in) or whose sign-in a session token is; NULL
-- for tokens a program made with its own token, node tokens and tokens made in SQL.
ALTER TABLE api_token ADD COLUMN person_id uuid REFERENCES person (id);
UPDATE api_token t SET person_id = s.person_id FROM person_session s WHERE s.token_id = t.id;

-- A rotated token points to the token it replaced, so the audit trail of a credential can be followed.
ALTER TABLE api_token ADD COLUMN replaces_token_id uuid REFERENCES api_token (id);

-- Revoking a token is announced when it commits, whichever instance or path revoked it (the API, a
-- sign-out, the session sweep, a node's re-registration), so every instance closes the token's open
-- event streams at once.
CREATE FUNCTION notify_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_token_revoked', NEW.id::text);
    RETURN NEW;
END
$$;

CREATE TRIGGER api_token_revoked AFTER UPDATE OF revoked_at ON api_token
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION notify_token_revoked();
