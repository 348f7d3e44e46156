-- A running egress total per lease and UTC day, kept by the database itself as hourly rollups are
-- written, so an invoice run sums a month from ~30 rows per lease instead of up to 744 hourly ones
-- (the month's sum was as long as the whole rest of the run). It is derived data only: every
-- change to usage_hourly (insert, the ingestion's ON CONFLICT update, delete) adds its difference
-- here in the same statement's transaction, so a day's total always equals the sum of its rollups,
-- and an invoice line stays recomputable from the rollups and usage records of its trace.
CREATE TABLE usage_daily (
    lease_id     uuid NOT NULL,
    day          timestamptz NOT NULL CHECK (day = date_trunc('day', day, 'UTC')),
    net_tx_bytes numeric NOT NULL,
    rollups      integer NOT NULL,
    PRIMARY KEY (lease_id, day)
);
-- The run reads the days of its period: a range scan that carries what it reads.
CREATE INDEX usage_daily_day_idx ON usage_daily (day) INCLUDE (lease_id, net_tx_bytes, rollups);

-- One function for the three kinds of change: each passes its rows with a sign, +1 for what is new,
-- -1 for what went away; rows are merged in key order, so two ingestions never wait on each other
-- crosswise.
CREATE FUNCTION usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO usage_daily AS d (lease_id, day, net_tx_bytes, rollups)
        SELECT lease_id, date_trunc('day', hour, 'UTC'), sum(net_tx_bytes), count(*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (lease_id, day) DO UPDATE
            SET net_tx_bytes = d.net_tx_bytes + excluded.net_tx_bytes, rollups = d.rollups + excluded.rollups;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO usage_daily AS d (lease_id, day, net_tx_bytes, rollups)
        SELECT lease_id, day, sum(bytes), sum(n)::integer FROM (
            SELECT lease_id, date_trunc('day', hour, 'UTC') AS day, net_tx_bytes AS bytes, 1 AS n FROM new_rows
            UNION ALL
            SELECT lease_id, date_trunc('day', hour, 'UTC'), -net_tx_bytes, -1 FROM old_rows) c
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (lease_id, day) DO UPDATE
            SET net_tx_bytes = d.net_tx_bytes + excluded.net_tx_bytes, rollups = d.rollups + excluded.rollups;
    ELSE
        UPDATE usage_daily d SET net_tx_bytes = d.net_tx_bytes - o.bytes, rollups = d.rollups - o.n
        FROM (SELECT lease_id, date_trunc('day', hour, 'UTC') AS day, sum(net_tx_bytes) AS bytes, count(*) AS n
              FROM old_rows GROUP BY 1, 2) o
        WHERE d.lease_id = o.lease_id AND d.day = o.day;
        DELETE FROM usage_daily WHERE rollups = 0 AND (lease_id, day) IN
            (SELECT lease_id, date_trunc('day', hour, 'UTC') FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER usage_daily_on_insert AFTER INSERT ON usage_hourly
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_add();
CREATE TRIGGER usage_daily_on_update AFTER UPDATE ON usage_hourly
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_add();
CREATE TRIGGER usage_daily_on_delete AFTER DELETE ON usage_hourly
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_add();
-- A truncate empties the totals with the rollups (no rows to subtract).
CREATE FUNCTION usage_daily_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE usage_daily;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_daily_on_truncate AFTER TRUNCATE ON usage_hourly
    FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_truncate();

-- The rollups already stored.
INSERT INTO usage_daily (lease_id, day, net_tx_bytes, rollups)
SELECT lease_id, date_trunc('day', hour, 'UTC'), sum(net_tx_bytes), count(*) FROM usage_hourly GROUP BY 1, 2;
