package org.xenomarket.market.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.server.repository.NearbyCandidates;
import org.xenomarket.pricing.ResourceVector;

/**
 * The nearby candidates, read site by site nearest first, are exactly the servers that joining every server of
 * every site in reach and sorting them all by distance and id gives, in that order, up to the limit, also when
 * the limit cuts a site's servers in two and when the search names regions.
 */
@QuarkusTest
class NearbyCandidatesOrderTest {

    // The candidates' rule as the query stated it before it went site by site: every server joined, all sorted.
    private static final String EVERY_SERVER_SORTED = """
            SELECT s.id
            FROM (SELECT id, region_code, km_between($1, $2, latitude, longitude) AS km FROM site OFFSET 0) t
            JOIN server s ON s.site_id = t.id
            WHERE s.state = 'ACTIVE' AND t.km <= $3
              AND s.vcpus >= $4 AND s.memory_mib >= $5 AND s.disk_gib >= $6
              AND (cardinality($8::text[]) = 0 OR t.region_code = ANY ($8))
            ORDER BY t.km, s.id
            LIMIT $7
            """;

    private final TestAccounts accounts;

    @Inject
    NearbyCandidates nearby;

    @Inject
    Pool pool;

    NearbyCandidatesOrderTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void theCandidatesAreTheNearestServersByDistanceThenIdUpToTheLimit() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Candidates Provider");
        Places here = Places.somewhere();
        // four sites at 0, 3, 3 and 9 km (two at the same distance), with 3, 4, 2 and 3 servers
        int[] perSite = {3, 4, 2, 3};
        double[] km = {0, 3, 3, 9};
        String[] regions = {"eu-west", "eu-west", "us-east", "eu-west"};
        for (int i = 0; i < perSite.length; i++) {
            Places at = here.east(km[i]);
            String site = MarketApi.site(provider, regions[i], at.latitude(), at.longitude());
            for (int j = 0; j < perSite[i]; j++) {
                MarketApi.server(provider, site, Capacity.vcpus(4).memoryMib(8192).diskGib(100));
            }
        }
        ResourceVector small = new ResourceVector(1, 512, 1);
        for (int limit : new int[] {1, 3, 5, 7, 9, 12, 200}) {
            assertSameAsEveryServerSorted(new Placement(here.latitude(), here.longitude(), 20.0), List.of(), small, limit);
            assertSameAsEveryServerSorted(new Placement(here.latitude(), here.longitude(), 20.0), List.of("eu-west"),
                    small, limit);
        }
        // too big for these servers: none of them, whatever else the database holds
        assertSameAsEveryServerSorted(new Placement(here.latitude(), here.longitude(), 20.0), List.of(),
                new ResourceVector(8, 512, 1), 200);
        // the whole test database at once, across the globe
        assertSameAsEveryServerSorted(new Placement(here.latitude(), here.longitude(), 20_000.0), List.of(), small, 200);
    }

    private void assertSameAsEveryServerSorted(Placement placement, List<String> regions, ResourceVector wanted,
                                               int limit) throws Throwable {
        List<UUID> found = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> nearby
                .activeWithin(placement, regions, wanted, null, limit)
                .map(nearby -> nearby.candidates().stream().map(c -> c.sited().server().id).toList())));
        List<UUID> expected = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(EVERY_SERVER_SORTED)
                .execute(Tuple.tuple(List.of(placement.latitude(), placement.longitude(), placement.withinKm(),
                        wanted.vcpus(), wanted.memoryMib(), wanted.diskGib(), limit, regions.toArray(String[]::new))))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID(0));
                    }
                    return ids;
                }));
        if (limit > 1 && wanted.vcpus() == 1 && placement.withinKm() == 20.0) {
            assertFalse(expected.isEmpty(), "the sites made here are in reach");
        }
        assertEquals(expected, found, "limit " + limit + ", regions " + regions + ", within " + placement.withinKm());
    }
}
