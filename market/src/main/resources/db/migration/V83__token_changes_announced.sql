-- Every change to a stored token (revoked, expiry moved, role or account changed) or its deletion is
-- announced on 'api_token_changed' when it commits, so each instance forgets what it kept of that
-- token (KnownTokens) and reads it afresh. Separate from 'api_token_revoked' (V55), which ends the
-- token's event streams and so must fire only on a revocation.
CREATE FUNCTION notify_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_token_changed', OLD.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_token_changed AFTER UPDATE OR DELETE ON api_token
    FOR EACH ROW EXECUTE FUNCTION notify_token_changed();
