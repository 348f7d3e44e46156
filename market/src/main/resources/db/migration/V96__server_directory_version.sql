-- A version of the directory of active servers and their sites (issue 17, item 1; docs/benchmarks.md,
-- "Tenth pass"): every bid, quote and nearby search asked PostgreSQL for the servers near its point, the
-- largest statement of all three (about 1.8 ms of execution at 10,000 servers), over rows that change only
-- when a server is listed, resized, repriced or changes state, or a site changes. The market keeps those rows
-- in memory, tagged with this version, and a request asks only for the version: the same rows as the query at
-- that moment, whichever replica made the change.
--
-- The version is bumped by deferred constraint triggers, so at the commit of a transaction that changed the
-- directory, after all its other statements: the row's lock is the last a transaction takes and is held only
-- for its commit, so two transactions changing servers in different orders cannot deadlock on it, and a
-- version is never seen before the change it stands for is visible. A heartbeat, which writes only
-- last_heartbeat_at (read by nothing that uses the directory), does not bump it.
CREATE TABLE server_directory_version (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    version bigint  NOT NULL
);
INSERT INTO server_directory_version (one, version) VALUES (true, 1);

CREATE FUNCTION server_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE server_directory_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER server_listed_or_removed AFTER INSERT OR DELETE ON server
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION server_directory_changed();
-- Whole rows compared but for the heartbeat's column, so a column added later is covered without a change here.
CREATE CONSTRAINT TRIGGER server_changed AFTER UPDATE ON server
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (to_jsonb(OLD) - 'last_heartbeat_at' IS DISTINCT FROM to_jsonb(NEW) - 'last_heartbeat_at')
    EXECUTE FUNCTION server_directory_changed();
CREATE CONSTRAINT TRIGGER site_changed AFTER INSERT OR UPDATE OR DELETE ON site
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION server_directory_changed();
-- TRUNCATE has no constraint triggers; it takes the table's exclusive lock, so an immediate bump is as safe.
CREATE TRIGGER server_truncated AFTER TRUNCATE ON server
    FOR EACH STATEMENT EXECUTE FUNCTION server_directory_changed();
CREATE TRIGGER site_truncated AFTER TRUNCATE ON site
    FOR EACH STATEMENT EXECUTE FUNCTION server_directory_changed();
