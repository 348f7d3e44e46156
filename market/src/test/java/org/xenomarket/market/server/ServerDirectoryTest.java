package org.xenomarket.market.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.server.repository.NearbyCandidates;
import org.xenomarket.market.server.repository.NearbyCandidates.Bounded;
import org.xenomarket.market.server.repository.NearbyCandidates.Candidate;
import org.xenomarket.market.server.repository.ServerDirectory;
import org.xenomarket.pricing.ResourceVector;

/**
 * The servers in memory answer what the nearby query answers at the same moment, and they follow every
 * committed change of a server or a site, whoever makes it (here a plain SQL connection, as another replica
 * would), but not a heartbeat or a change that was rolled back.
 */
@QuarkusTest
class ServerDirectoryTest {

    private static final String SITE = """
            INSERT INTO site (id, code, region_code, city, country, latitude, longitude, time_zone)
            VALUES ($1, $2, $3, 'Directory', 'GB', $4, $5, 'Europe/London')
            """;
    private static final String SERVER = """
            INSERT INTO server (id, provider_id, site_id, name, vcpus, memory_mib, disk_gib, egress_mbps, hypervisor,
                                state, currency, floor_vcpu_hour, floor_memory_gib_hour, floor_disk_gib_hour,
                                last_heartbeat_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 1000, 'KVM', $8, 'EUR', $9, $10, $11, now())
            """;
    private static final String[] REGIONS = {"eu-west", "us-east", "ap-south"};
    private static final String[] STATES = {"ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "PENDING", "DRAINING", "OFFLINE"};

    private final TestAccounts accounts;

    @Inject
    NearbyCandidates nearby;

    @Inject
    ServerDirectory directory;

    @Inject
    Pool pool;

    ServerDirectoryTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void answersWhatTheQueryAnswersAtTheSameMoment() throws Throwable {
        Random random = new Random(9601);
        UUID provider = accounts.provider("Directory Provider").accountId();
        Places here = Places.somewhere();
        // 40 sites within about 100 km, every fourth at the same spot as the one before it (equal distances, so
        // the order falls to the servers' ids across sites), 400 servers of random sizes, states and floors, with
        // random ids (half of them with the high bit set: PostgreSQL orders them unsigned)
        List<UUID> sites = new ArrayList<>();
        double latitude = here.latitude();
        double longitude = here.longitude();
        for (int i = 0; i < 40; i++) {
            if (i % 4 != 3) {
                latitude = here.latitude() + (random.nextDouble() - 0.5);
                longitude = here.longitude() + (random.nextDouble() - 0.5);
            }
            UUID site = UUID.randomUUID();
            sites.add(site);
            run(SITE, site, "dir-" + site, REGIONS[random.nextInt(REGIONS.length)], latitude, longitude);
        }
        for (int i = 0; i < 400; i++) {
            int vcpus = 1 << random.nextInt(6);
            run(SERVER, UUID.randomUUID(), provider, sites.get(random.nextInt(sites.size())), "dir-" + i, vcpus,
                    vcpus * 2048L * (1 + random.nextInt(3)), 20L * (1 + random.nextInt(10)),
                    STATES[random.nextInt(STATES.length)], floor(random), floor(random), floor(random));
        }

        int nonEmpty = 0;
        for (int search = 0; search < 300; search++) {
            Placement placement = new Placement(here.latitude() + (random.nextDouble() - 0.5),
                    here.longitude() + (random.nextDouble() - 0.5), random.nextDouble() * 120);
            List<String> regions = random.nextInt(3) == 0 ? List.of(REGIONS[random.nextInt(REGIONS.length)]) : List.of();
            ResourceVector wanted = new ResourceVector(1 + random.nextInt(16), 512L * (1 + random.nextInt(16)),
                    1 + random.nextInt(100));
            int limit = new int[] {1, 2, 5, 20, 200}[random.nextInt(5)];
            List<Candidate> expected = inSession(() -> nearby.byQuery(placement, regions, wanted, null, limit));
            List<Candidate> found = inSession(() -> nearby.activeWithin(placement, regions, wanted, null, limit)
                    .map(NearbyCandidates.Nearby::candidates));
            String what = "search " + search + ": " + placement.describe() + " " + regions + " " + wanted + " limit " + limit;
            assertEquals(ids(expected), ids(found), what);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).km(), found.get(i).km(), 1e-9, what);
            }
            nonEmpty += expected.isEmpty() ? 0 : 1;

            BigDecimal max = BigDecimal.valueOf(random.nextInt(400), 3);
            BigDecimal slack = BigDecimal.valueOf(random.nextInt(3), 4);
            Bounded expectedBounded = inSession(() -> nearby.boundedByQuery(placement, regions, wanted, null, limit,
                    max, slack));
            Bounded bounded = inSession(() -> nearby.activeWithinBound(placement, regions, wanted, null, limit, max,
                    slack));
            assertEquals(ids(expectedBounded.kept()), ids(bounded.kept()), what + " max " + max);
            assertEquals(expectedBounded.total(), bounded.total(), what);
            assertEquals(expectedBounded.above(), bounded.above(), what);
            assertEquals(expectedBounded.lowestAbove() == null, bounded.lowestAbove() == null, what);
            if (bounded.lowestAbove() != null) {
                assertEquals(0, expectedBounded.lowestAbove().compareTo(bounded.lowestAbove()),
                        what + ": " + expectedBounded.lowestAbove() + " against " + bounded.lowestAbove());
            }
        }
        assertTrue(nonEmpty > 100, "most searches find servers, " + nonEmpty + " of 300 did");
    }

    @Test
    void followsEveryCommittedChangeButNotAHeartbeatOrARollback() throws Throwable {
        UUID provider = accounts.provider("Directory Changes Provider").accountId();
        Places here = Places.somewhere();
        UUID site = UUID.randomUUID();
        UUID server = UUID.randomUUID();
        run(SITE, site, "dir-" + site, "eu-west", here.latitude(), here.longitude());
        run(SERVER, server, provider, site, "dir-changes", 8, 16_384L, 100L, "ACTIVE", floor(new Random(1)),
                BigDecimal.ZERO, BigDecimal.ZERO);
        Placement near = new Placement(here.latitude(), here.longitude(), 5.0);
        ResourceVector wanted = new ResourceVector(4, 4096, 10);
        assertTrue(found(near, wanted).contains(server), "a listed server is found");
        ServerDirectory.Snapshot before = inSession(directory::now);

        run("UPDATE server SET last_heartbeat_at = now() + interval '1 minute' WHERE id = $1", server);
        assertSame(before, inSession(directory::now), "a heartbeat leaves the directory as it was, not read again");

        VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(connection -> connection
                .preparedQuery("UPDATE server SET state = 'OFFLINE' WHERE id = $1").execute(Tuple.of(server))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("roll back"))))
                .onFailure(IllegalStateException.class).recoverWithNull());
        assertSame(before, inSession(directory::now), "a change rolled back leaves the directory as it was");
        assertTrue(found(near, wanted).contains(server));

        run("UPDATE server SET state = 'DRAINING' WHERE id = $1", server);
        assertNotSame(before, inSession(directory::now), "a committed change is read");
        assertFalse(found(near, wanted).contains(server), "a draining server is not offered");

        run("UPDATE server SET state = 'ACTIVE', vcpus = 2 WHERE id = $1", server);
        assertFalse(found(near, wanted).contains(server), "a server shrunk below the request is not offered");

        run("UPDATE server SET vcpus = 8 WHERE id = $1", server);
        assertTrue(found(near, wanted).contains(server), "grown again, it is offered again");

        run("UPDATE site SET latitude = latitude + 1 WHERE id = $1", site);
        assertFalse(found(near, wanted).contains(server), "a site moved out of reach takes its servers with it");

        run("UPDATE site SET latitude = latitude - 1 WHERE id = $1", site);
        assertTrue(found(near, wanted).contains(server));
        UUID listed = UUID.randomUUID();
        run(SERVER, listed, provider, site, "dir-listed", 4, 4096L, 10L, "ACTIVE", BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO);
        assertTrue(found(near, wanted).contains(listed), "a server listed since is offered");
    }

    private List<UUID> found(Placement near, ResourceVector wanted) throws Throwable {
        return ids(inSession(() -> nearby.activeWithin(near, List.of(), wanted, null, 200)
                .map(NearbyCandidates.Nearby::candidates)));
    }

    private static List<UUID> ids(List<Candidate> candidates) {
        return candidates.stream().map(c -> c.sited().server().id).toList();
    }

    private static <T> T inSession(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(work::get));
    }

    private void run(String sql, Object... params) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.from(params)));
    }

    private static BigDecimal floor(Random random) {
        return BigDecimal.valueOf(random.nextInt(40), 3);
    }
}
