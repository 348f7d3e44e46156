package org.xenomarket.market.clearing.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.clearing.repository.RegionLeaseRepository;

/**
 * Region ownership on the real PostgreSQL: two replicas made in the test (beside the test market's
 * own, which ticks every second) share the regions fairly, every region held by exactly one live
 * replica, and the regions of a replica that stops heartbeating are taken over once its leases lapse,
 * each at a new epoch.
 */
@QuarkusTest
class RegionOwnershipTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Duration LEASE = Duration.ofSeconds(3);

    private final RegionLeaseRepository leases;
    private final Sql sql;
    private final List<RegionOwnership> replicas = new ArrayList<>();

    RegionOwnershipTest(RegionLeaseRepository leases, Sql sql) {
        this.leases = leases;
        this.sql = sql;
    }

    @AfterEach
    void leaveTheMarket() throws Throwable {
        for (RegionOwnership replica : replicas) {
            VertxContextSupport.subscribeAndAwait(replica::leave);
        }
    }

    @Test
    void twoReplicasShareTheRegionsFairlyAndEachRegionHasOneLiveOwner() {
        RegionOwnership first = replica();
        RegionOwnership second = replica();

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, Long> a = tick(first);
            Map<String, Long> b = tick(second);
            long regions = sql.number("SELECT count(*) FROM region_lease");
            long live = sql.number("SELECT count(*) FROM market_replica WHERE expires_at > now()");
            long floor = regions / live;
            long ceiling = (regions + live - 1) / live;
            assertTrue(a.size() >= floor && a.size() <= ceiling, "first holds " + a.size() + " of " + regions
                    + " regions with " + live + " live replicas");
            assertTrue(b.size() >= floor && b.size() <= ceiling, "second holds " + b.size() + " of " + regions
                    + " regions with " + live + " live replicas");
            assertTrue(a.keySet().stream().noneMatch(b::containsKey), "no region held by both: " + a + " " + b);
            assertEquals(0, sql.number("""
                    SELECT count(*) FROM region_lease l
                    WHERE NOT EXISTS (SELECT 1 FROM market_replica r WHERE r.id = l.owner AND r.expires_at > now())
                       OR l.expires_at <= now()"""), "every region is leased to a live replica");
        });
    }

    @Test
    void theRegionsOfAReplicaThatStopsHeartbeatingAreTakenOverAtANewEpochOnceItsLeasesLapse() throws Throwable {
        RegionOwnership dying = replica();
        RegionOwnership survivor = replica();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
            tick(survivor);
            return !tick(dying).isEmpty();
        });
        Map<String, Long> lost = dying.held();

        // the dying replica ticks no more (killed); the survivor and the test market's replica go on
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            tick(survivor);
            for (Map.Entry<String, Long> region : lost.entrySet()) {
                assertEquals(0, sql.number("""
                        SELECT count(*) FROM region_lease
                        WHERE region = ? AND (owner = ? OR expires_at <= now() OR epoch <= ?)""",
                        region.getKey(), dying.replica(), region.getValue()),
                        region.getKey() + " is held by a live replica at a later epoch");
            }
        });
        // and the dying replica, waking up, can no longer start a round of them
        String region = lost.keySet().iterator().next();
        Boolean ran = VertxContextSupport.subscribeAndAwait(() -> dying.whileOwned(region,
                fence -> io.smallrye.mutiny.Uni.createFrom().item(true), () -> false));
        assertEquals(false, ran);
    }

    private RegionOwnership replica() {
        RegionOwnership replica = new RegionOwnership(leases, UUID.randomUUID(), LEASE);
        replicas.add(replica);
        return replica;
    }

    private static Map<String, Long> tick(RegionOwnership replica) {
        try {
            return VertxContextSupport.subscribeAndAwait(replica::tick);
        } catch (Throwable e) {
            throw new IllegalStateException("a replica's tick failed", e);
        }
    }
}
