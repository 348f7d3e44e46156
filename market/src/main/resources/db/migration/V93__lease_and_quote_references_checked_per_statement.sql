-- A lease's and a quote's references checked once per INSERT statement instead of once per row
-- (issue 17, item 2), as V70 did for invoice lines. A clearing round inserts its quotes and leases
-- 5,000 at a time; their eight foreign keys (a lease's bid, quote, server, sponsor and provider; a
-- quote's server, sponsor and price sheet) ran a lookup and a FOR KEY SHARE lock per row and key, about
-- two thirds of the insert (docs/benchmarks.md). One anti-join per reference over the statement's new
-- rows does the same check in a few milliseconds.
--
-- The foreign keys also kept a referenced row from going away (and locked it so that it could not go
-- away before the referencing row committed). Here the referenced rows can never go away, so the check
-- when a row is written is enough, with no lock: bids, quotes, price sheets, servers and accounts are
-- never deleted nor their ids changed (below; nothing in the market deletes them), as leases are not
-- (V70). A row that names a missing one is refused with foreign_key_violation (23503), as before.

ALTER TABLE lease DROP CONSTRAINT lease_bid_id_fkey;
ALTER TABLE lease DROP CONSTRAINT lease_quote_id_fkey;
ALTER TABLE lease DROP CONSTRAINT lease_server_id_fkey;
ALTER TABLE lease DROP CONSTRAINT lease_sponsor_id_fkey;
ALTER TABLE lease DROP CONSTRAINT lease_provider_id_fkey;
ALTER TABLE quote DROP CONSTRAINT quote_server_id_fkey;
ALTER TABLE quote DROP CONSTRAINT quote_sponsor_id_fkey;
ALTER TABLE quote DROP CONSTRAINT quote_price_sheet_id_fkey;

-- Each reference its own anti-join, so the planner can hash or probe each table as it sees fit.
CREATE FUNCTION check_lease_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orphan uuid;
BEGIN
    SELECT a.id INTO orphan FROM added a WHERE NOT EXISTS (SELECT 1 FROM bid b WHERE b.id = a.bid_id) LIMIT 1;
    IF NOT FOUND THEN
        SELECT a.id INTO orphan FROM added a WHERE NOT EXISTS (SELECT 1 FROM quote q WHERE q.id = a.quote_id) LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        SELECT a.id INTO orphan FROM added a WHERE NOT EXISTS (SELECT 1 FROM server s WHERE s.id = a.server_id) LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        SELECT a.id INTO orphan FROM added a
        WHERE NOT EXISTS (SELECT 1 FROM account c WHERE c.id = a.sponsor_id)
           OR NOT EXISTS (SELECT 1 FROM account c WHERE c.id = a.provider_id) LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'lease % refers to a bid, quote, server or account that does not exist', orphan
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER lease_references AFTER INSERT ON lease REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION check_lease_references();

-- An update that changes a reference (a lease moved to another server and quote) is checked row by row:
-- such updates are rare, and the WHEN clause costs nothing to the many that change only a lease's state.
CREATE FUNCTION check_changed_lease_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM bid b WHERE b.id = NEW.bid_id)
       OR NOT EXISTS (SELECT 1 FROM quote q WHERE q.id = NEW.quote_id)
       OR NOT EXISTS (SELECT 1 FROM server s WHERE s.id = NEW.server_id)
       OR NOT EXISTS (SELECT 1 FROM account c WHERE c.id = NEW.sponsor_id)
       OR NOT EXISTS (SELECT 1 FROM account c WHERE c.id = NEW.provider_id) THEN
        RAISE EXCEPTION 'lease % refers to a bid, quote, server or account that does not exist', NEW.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER lease_references_changed AFTER UPDATE OF bid_id, quote_id, server_id, sponsor_id, provider_id ON lease
    FOR EACH ROW WHEN (OLD.bid_id IS DISTINCT FROM NEW.bid_id OR OLD.quote_id IS DISTINCT FROM NEW.quote_id
        OR OLD.server_id IS DISTINCT FROM NEW.server_id OR OLD.sponsor_id IS DISTINCT FROM NEW.sponsor_id
        OR OLD.provider_id IS DISTINCT FROM NEW.provider_id)
    EXECUTE FUNCTION check_changed_lease_references();

CREATE FUNCTION check_quote_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orphan uuid;
BEGIN
    SELECT a.id INTO orphan FROM added a WHERE NOT EXISTS (SELECT 1 FROM server s WHERE s.id = a.server_id) LIMIT 1;
    IF NOT FOUND THEN
        SELECT a.id INTO orphan FROM added a WHERE NOT EXISTS (SELECT 1 FROM account c WHERE c.id = a.sponsor_id) LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        SELECT a.id INTO orphan FROM added a WHERE a.price_sheet_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM price_sheet p WHERE p.id = a.price_sheet_id) LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'quote % refers to a server, account or price sheet that does not exist', orphan
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER quote_references AFTER INSERT ON quote REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION check_quote_references();

CREATE FUNCTION check_changed_quote_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM server s WHERE s.id = NEW.server_id)
       OR NOT EXISTS (SELECT 1 FROM account c WHERE c.id = NEW.sponsor_id)
       OR (NEW.price_sheet_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM price_sheet p WHERE p.id = NEW.price_sheet_id)) THEN
        RAISE EXCEPTION 'quote % refers to a server, account or price sheet that does not exist', NEW.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER quote_references_changed AFTER UPDATE OF server_id, sponsor_id, price_sheet_id ON quote
    FOR EACH ROW WHEN (OLD.server_id IS DISTINCT FROM NEW.server_id OR OLD.sponsor_id IS DISTINCT FROM NEW.sponsor_id
        OR OLD.price_sheet_id IS DISTINCT FROM NEW.price_sheet_id)
    EXECUTE FUNCTION check_changed_quote_references();

-- What a lease or quote refers to is permanent: never deleted, its id never changed, never truncated.
CREATE FUNCTION refuse_referenced_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are permanent: leases and quotes refer to them', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['bid', 'quote', 'price_sheet', 'server', 'account'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_referenced_removal()',
            t || '_permanent', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF id ON %I FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) '
            || 'EXECUTE FUNCTION refuse_referenced_removal()', t || '_id_permanent', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_referenced_removal()',
            t || '_never_truncated', t);
    END LOOP;
END
$$;
