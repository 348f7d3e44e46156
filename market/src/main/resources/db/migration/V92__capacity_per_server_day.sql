-- Capacity held per (server, UTC day) instead of per (server, hour): one row carries the day's 24 hourly
-- reservations as arrays. A clearing round raises some 350,000 server-hours; as hour rows each was a row
-- version and an index entry, as day rows a round writes about 16 times fewer rows. Measured in psql on a
-- 100,000-bid round's slots (docs/benchmarks.md, issue 17 item 2): the guarded upsert of one chunk of
-- 5,000 bookings took 1.4-2.1 s as hour rows and 0.07-0.17 s as day rows when inserting, 0.56-0.63 s
-- against 0.09-0.18 s when raising.
--
-- The guard is unchanged in substance: CHECKs keep every hour's reservation between 0 and the server's
-- capacity, so no code path can commit an overbooked hour.

-- Element-wise sum of two arrays of one day's hours: how a reservation (or, negated, a release) is
-- added to what a day already holds.
CREATE FUNCTION hours_plus(held integer[], added integer[]) RETURNS integer[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT array_agg(h + a ORDER BY i) FROM unnest(held, added) WITH ORDINALITY AS u(h, a, i) $$;

CREATE FUNCTION hours_plus(held bigint[], added bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT array_agg(h + a ORDER BY i) FROM unnest(held, added) WITH ORDINALITY AS u(h, a, i) $$;

-- What is reserved on a server in each hour of one UTC day (element i is the hour starting at i:00 UTC).
-- A server's capacity is fixed when it is listed, so one capacity holds for every hour of the day.
CREATE TABLE capacity_day (
    server_id           uuid NOT NULL REFERENCES server (id),
    day                 date NOT NULL,
    capacity_vcpus      integer NOT NULL,
    capacity_memory_mib bigint NOT NULL,
    capacity_disk_gib   bigint NOT NULL,
    reserved_vcpus      integer[] NOT NULL CHECK (array_ndims(reserved_vcpus) = 1 AND cardinality(reserved_vcpus) = 24
                            AND 0 <= ALL (reserved_vcpus) AND capacity_vcpus >= ALL (reserved_vcpus)),
    reserved_memory_mib bigint[] NOT NULL CHECK (array_ndims(reserved_memory_mib) = 1 AND cardinality(reserved_memory_mib) = 24
                            AND 0 <= ALL (reserved_memory_mib) AND capacity_memory_mib >= ALL (reserved_memory_mib)),
    reserved_disk_gib   bigint[] NOT NULL CHECK (array_ndims(reserved_disk_gib) = 1 AND cardinality(reserved_disk_gib) = 24
                            AND 0 <= ALL (reserved_disk_gib) AND capacity_disk_gib >= ALL (reserved_disk_gib)),
    PRIMARY KEY (server_id, day)
) WITH (fillfactor = 70);

-- The existing hours, folded into their days (hours without a slot hold nothing). Should a day's hours
-- disagree on the capacity, the smallest is kept and the CHECKs refuse the migration if an hour holds
-- more than it: better a failed migration than a guard widened.
INSERT INTO capacity_day
SELECT d.server_id, d.day, d.capacity_vcpus, d.capacity_memory_mib, d.capacity_disk_gib,
       array_agg(coalesce(c.reserved_vcpus, 0) ORDER BY g.i),
       array_agg(coalesce(c.reserved_memory_mib, 0) ORDER BY g.i),
       array_agg(coalesce(c.reserved_disk_gib, 0) ORDER BY g.i)
FROM (SELECT server_id, CAST(bucket_start AT TIME ZONE 'UTC' AS date) AS day, min(capacity_vcpus) AS capacity_vcpus,
             min(capacity_memory_mib) AS capacity_memory_mib, min(capacity_disk_gib) AS capacity_disk_gib
      FROM capacity_slot GROUP BY 1, 2) d
     CROSS JOIN generate_series(0, 23) AS g(i)
     LEFT JOIN capacity_slot c ON c.server_id = d.server_id
         AND c.bucket_start = (d.day + make_interval(hours => g.i)) AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3, 4, 5;

DROP TABLE capacity_slot;

-- The hourly shape readers had, one row per (server, hour) with something reserved: reports, tests and
-- ad hoc SQL keep working. Writes go to capacity_day.
CREATE VIEW capacity_slot AS
SELECT d.server_id, (d.day + make_interval(hours => CAST(h.i AS integer) - 1)) AT TIME ZONE 'UTC' AS bucket_start,
       d.capacity_vcpus, d.capacity_memory_mib, d.capacity_disk_gib,
       h.vcpus AS reserved_vcpus, h.memory_mib AS reserved_memory_mib, h.disk_gib AS reserved_disk_gib
FROM capacity_day d
     CROSS JOIN LATERAL unnest(d.reserved_vcpus, d.reserved_memory_mib, d.reserved_disk_gib)
         WITH ORDINALITY AS h(vcpus, memory_mib, disk_gib, i)
WHERE h.vcpus <> 0 OR h.memory_mib <> 0 OR h.disk_gib <> 0;
