-- Providers' terms for sponsors (V73) under the directory's version (V96): every quote, nearby search and
-- bid that finds candidates read the terms of their providers, one statement each time, over rows that change
-- only when a provider sets its terms. The market keeps all providers' terms in memory, tagged with the
-- directory's version, and a request that read the version for its candidates reads no terms: a committed
-- change of any terms row bumps the version, as a server's or a site's does, by the same deferred triggers.
CREATE CONSTRAINT TRIGGER provider_sponsor_terms_changed AFTER INSERT OR UPDATE OR DELETE ON provider_sponsor_terms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION server_directory_changed();
CREATE CONSTRAINT TRIGGER provider_sponsor_listed_changed AFTER INSERT OR UPDATE OR DELETE ON provider_sponsor_listed
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION server_directory_changed();
CREATE CONSTRAINT TRIGGER provider_sponsor_adjustment_changed AFTER INSERT OR UPDATE OR DELETE
    ON provider_sponsor_adjustment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION server_directory_changed();
CREATE CONSTRAINT TRIGGER provider_loyalty_tier_changed AFTER INSERT OR UPDATE OR DELETE ON provider_loyalty_tier
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION server_directory_changed();
-- TRUNCATE has no constraint triggers; it takes the table's exclusive lock, so an immediate bump is as safe.
CREATE TRIGGER provider_sponsor_terms_truncated AFTER TRUNCATE ON provider_sponsor_terms
    FOR EACH STATEMENT EXECUTE FUNCTION server_directory_changed();
CREATE TRIGGER provider_sponsor_listed_truncated AFTER TRUNCATE ON provider_sponsor_listed
    FOR EACH STATEMENT EXECUTE FUNCTION server_directory_changed();
CREATE TRIGGER provider_sponsor_adjustment_truncated AFTER TRUNCATE ON provider_sponsor_adjustment
    FOR EACH STATEMENT EXECUTE FUNCTION server_directory_changed();
CREATE TRIGGER provider_loyalty_tier_truncated AFTER TRUNCATE ON provider_loyalty_tier
    FOR EACH STATEMENT EXECUTE FUNCTION server_directory_changed();
