-- km_between as PostgreSQL can inline it (issue 17, item 1; docs/benchmarks.md, "Seventh pass").
--
-- V1's body used least(), which is not strict, in a STRICT function: PostgreSQL then refuses to inline the
-- function (a strict function's body must be provably strict to be folded into the calling query) and runs
-- it through the SQL-function executor on every call, about 5 µs each against about 0.5 µs inlined. The nearby
-- candidates of every bid, quote and nearby search compute it once per site (1.0 ms of the statement's
-- 1.8 ms at 307 sites); a clearing round once per open bid and site of its region.
--
-- float8smaller is the strict form of least() for two double precision values (the same comparison, NaN the
-- greatest), so the result is the same bit for bit for every input and NULL still gives NULL. Nothing else
-- changes: same signature, volatility, strictness and expression.
CREATE OR REPLACE FUNCTION km_between(lat1 double precision, lon1 double precision,
                                      lat2 double precision, lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 2 * 6371.0 * asin(float8smaller(1.0, sqrt(
        power(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$$;
