package org.xenomarket.market.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code km_between} as V95 states it is inlined into the queries that call it, and gives the same distance bit
 * for bit as V1's form (which PostgreSQL could not inline) for every pair of points: the sites of the test
 * database, a grid over the globe with its poles, the date line and antipodes, and NULL.
 */
@QuarkusTest
class KmBetweenTest {

    // V1's function, as it was, in this session's temporary schema.
    private static final String V1_FORM = """
            CREATE FUNCTION pg_temp.km_between_v1(lat1 double precision, lon1 double precision,
                                                  lat2 double precision, lon2 double precision)
            RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                SELECT 2 * 6371.0 * asin(least(1.0, sqrt(
                    power(sin(radians(lat2 - lat1) / 2), 2)
                    + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
            $$""";

    // Every pair of a grid of 10-degree steps (and a few points just off it), plus every site against each point.
    private static final String DIFFERING = """
            WITH g AS (SELECT lat::float8 AS lat, lon::float8 AS lon
                       FROM generate_series(-90, 90, 10) lat, generate_series(-180, 180, 10) lon
                       UNION ALL VALUES (0.0001::float8, 179.9999::float8), (-0.0001, -179.9999), (89.99999, 0.5),
                                        (52.2, 0.12), (-52.2, -179.88), (NULL, 1.0), (1.0, NULL)),
            p AS (SELECT * FROM g UNION ALL SELECT latitude, longitude FROM site)
            SELECT count(*) AS pairs,
                   count(*) FILTER (WHERE km_between(a.lat, a.lon, b.lat, b.lon)
                                          IS DISTINCT FROM pg_temp.km_between_v1(a.lat, a.lon, b.lat, b.lon)) AS differing,
                   count(*) FILTER (WHERE km_between(a.lat, a.lon, b.lat, b.lon) IS NULL) AS nulls
            FROM g a CROSS JOIN p b""";

    @Inject
    Pool pool;

    @Test
    void theDistanceIsTheSameAsV1sForEveryPairOfPointsAndNullForNull() throws Throwable {
        Row counts = VertxContextSupport.subscribeAndAwait(() -> pool.withConnection(connection -> connection
                .query(V1_FORM).execute()
                .chain(() -> connection.query(DIFFERING).execute())
                .map(rows -> rows.iterator().next())));
        assertTrue(counts.getLong("pairs") > 700 * 700, "the grid and the sites were compared");
        assertEquals(0L, counts.getLong("differing"));
        assertTrue(counts.getLong("nulls") > 0, "a NULL coordinate still gives NULL");
    }

    @Test
    void theFunctionIsInlinedIntoTheQueryThatCallsIt() throws Throwable {
        String plan = VertxContextSupport.subscribeAndAwait(() -> pool
                .query("EXPLAIN (VERBOSE, COSTS OFF) SELECT km_between(52.2, 0.12, latitude, longitude) FROM site")
                .execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString(0))
                        .collect(Collectors.joining("\n"))));
        assertFalse(plan.contains("km_between"), plan);
        assertTrue(plan.contains("asin"), plan);
    }
}
