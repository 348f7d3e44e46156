package org.xenomarket.market.clearing.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.clearing.repository.RegionLeaseRepository;

/**
 * The lock a round's booking chunk holds on its region's lease row (the fence, {@code FOR KEY SHARE}),
 * on the real PostgreSQL: the owner's renewal goes through it at once, while every takeover waits for
 * the chunk (or skips the region) and comes after it at the next epoch, and the owner giving the region
 * back (a tick's surplus, or leaving) skips it rather than overtake the chunk. Each test makes a region of its
 * own, leased to a replica of the test's own that never ticks, so the test market's replica (which
 * ticks every second) takes none of them while the test runs.
 */
@QuarkusTest
class RegionFenceLockTest {

    private static final Duration LEASE = Duration.ofMinutes(1);
    /* What a renewal or a release may wait at most: behind a fence they must not wait at all. */
    private static final String BOUNDED = "SET LOCAL lock_timeout = '3s'";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final RegionLeaseRepository leases;
    private final Sql sql;
    private final Pool pool;
    private final List<RegionOwnership> replicas = new ArrayList<>();
    private final List<HeldFence> fences = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool();

    RegionFenceLockTest(RegionLeaseRepository leases, Sql sql, Pool pool) {
        this.leases = leases;
        this.sql = sql;
        this.pool = pool;
    }

    @AfterEach
    void endTheFencesAndLeaveTheMarket() throws Throwable {
        for (HeldFence fence : fences) {
            fence.commit();
        }
        for (RegionOwnership replica : replicas) {
            VertxContextSupport.subscribeAndAwait(replica::leave);
        }
        background.shutdownNow();
    }

    @Test
    void theOwnerRenewsItsLeaseAtOnceWhileABookingHoldsTheFence() throws Throwable {
        RegionOwnership owner = replica();
        String region = regionHeldBy(owner.replica(), "1 minute");
        String before = sql.text("SELECT expires_at::text FROM region_lease WHERE region = ?", region);
        hold(new RegionFence(region, owner.replica(), 1));

        // with FOR SHARE as the fence this waited for the booking and failed on the lock timeout
        Map<String, Long> renewed = renewBounded(owner.replica(), Duration.ofMinutes(2));

        assertEquals(1L, renewed.get(region), "the region renewed at its epoch");
        assertEquals(1, sql.number("SELECT count(*) FROM region_lease WHERE region = ? AND expires_at > ?::timestamptz",
                region, before), "the renewal moved the lease's expiry on");
    }

    @Test
    void aTakeoverOfALapsedLeaseWaitsForTheBookingThatHoldsTheFenceAndComesAtTheNextEpoch() throws Throwable {
        RegionOwnership stale = replica();
        RegionOwnership successor = replica();
        // long enough to take the fence before it lapses (the test market's replica would take a lapsed region)
        String region = regionHeldBy(stale.replica(), "5 seconds");
        RegionFence fence = new RegionFence(region, stale.replica(), 1);
        HeldFence held = hold(fence);
        awaitLapsed(region);

        assertTakeoverWaitsFor(held, region, successor.replica(), 2);
        assertThrows(RegionLost.class, () -> check(stale, fence), "a booking under the old epoch is refused");
    }

    @Test
    void aLeaseRenewedWhileFencedAndLapsedAfterStillWaitsForTheBooking() throws Throwable {
        RegionOwnership stale = replica();
        RegionOwnership successor = replica();
        String region = regionHeldBy(stale.replica(), "1 minute");
        HeldFence held = hold(new RegionFence(region, stale.replica(), 1));
        // the renewal makes a new version of the row: the fence's lock must be on it too
        renewBounded(stale.replica(), Duration.ofSeconds(1));
        awaitLapsed(region);

        assertTakeoverWaitsFor(held, region, successor.replica(), 2);
    }

    @Test
    void theOwnerGivingARegionBackSkipsItWhileABookingHoldsTheFence() throws Throwable {
        RegionOwnership owner = replica();
        String region = regionHeldBy(owner.replica(), "1 minute");
        HeldFence held = hold(new RegionFence(region, owner.replica(), 1));

        assertEquals(List.of(), releaseBounded(owner.replica(), region), "not given back under a booking");
        assertEquals(1, sql.number("SELECT count(*) FROM region_lease WHERE region = ? AND owner = ?",
                region, owner.replica()));

        held.commit();
        assertEquals(List.of(region), releaseBounded(owner.replica(), region), "given back after the booking");
        assertEquals(1, sql.number("SELECT count(*) FROM region_lease WHERE region = ? AND owner IS NULL", region));
    }

    @Test
    void aStoppingReplicaFreesItsRegionsButLeavesTheOneUnderABookingToLapse() throws Throwable {
        RegionOwnership owner = replica();
        String fenced = regionHeldBy(owner.replica(), "1 minute");
        String idle = regionHeldBy(owner.replica(), "1 minute");
        hold(new RegionFence(fenced, owner.replica(), 1));

        // bounded: leaving must not wait for the booking (a shutdown waits 5 s for it at most)
        VertxContextSupport.subscribeAndAwait(
                () -> leases.leave(owner.replica(), List.of()).ifNoItem().after(Duration.ofSeconds(3)).fail());

        assertEquals(1, sql.number("SELECT count(*) FROM region_lease WHERE region = ? AND owner IS NULL", idle));
        assertEquals(1, sql.number("SELECT count(*) FROM region_lease WHERE region = ? AND owner = ?",
                fenced, owner.replica()), "the region under a booking is not freed under it");
    }

    /**
     * While the fence is held, the successor's tick skips the lapsed region and its claim on demand
     * waits; once the booking commits, the claim takes the region at {@code nextEpoch}.
     */
    private void assertTakeoverWaitsFor(HeldFence held, String region, UUID successor, long nextEpoch) throws Throwable {
        assertFalse(claimFreeRolledBack(successor).containsKey(region), "a tick skips a region under a booking");

        CompletableFuture<Optional<Long>> claim = inBackground(() -> leases.claim(region, successor, LEASE));
        await().atMost(PATIENCE).until(() -> claim.isDone() || sql.number("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%region_lease%'""") > 0);
        assertFalse(claim.isDone(), "a claim on demand waits for the booking, but answered " + claim.getNow(null));
        assertEquals(1, sql.number("SELECT epoch FROM region_lease WHERE region = ?", region));

        held.commit();
        assertEquals(Optional.of(nextEpoch), claim.get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                "the claim takes the region after the booking, at the next epoch");
    }

    private Map<String, Long> renewBounded(UUID replica, Duration ttl) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> leases.inTransaction(
                tx -> tx.query(BOUNDED).execute().chain(() -> leases.renew(tx, replica, ttl))));
    }

    private List<String> releaseBounded(UUID replica, String region) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> leases.inTransaction(
                tx -> tx.query(BOUNDED).execute().chain(() -> leases.release(tx, replica, List.of(region)))));
    }

    /** What a tick of {@code replica} would claim, every free region it can; rolled back, so it takes none. */
    private Map<String, Long> claimFreeRolledBack(UUID replica) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.withConnection(connection -> connection.begin()
                .chain(tx -> leases.claimFree(connection, replica, Integer.MAX_VALUE, LEASE).call(tx::rollback))));
    }

    private static void check(RegionOwnership replica, RegionFence fence) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> replica.check(fence)));
    }

    /**
     * A booking transaction as a round runs one ({@code RoundBookings}: the fence checked first, in a
     * Hibernate Reactive transaction), left open until the test commits it.
     */
    private HeldFence hold(RegionFence fence) throws Exception {
        RegionOwnership owner = new RegionOwnership(leases, fence.owner(), LEASE);
        CompletableFuture<Void> taken = new CompletableFuture<>();
        CompletableFuture<Void> commitNow = new CompletableFuture<>();
        CompletableFuture<Void> ended = inBackground(() -> Panache.withTransaction(() -> owner.check(fence)
                .invoke(() -> taken.complete(null))
                .chain(() -> {
                    Context context = Vertx.currentContext();
                    return Uni.createFrom().completionStage(commitNow).emitOn(run -> context.runOnContext(v -> run.run()));
                })));
        CompletableFuture.anyOf(taken, ended).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(taken.isDone(), "the booking holds the fence");
        HeldFence held = new HeldFence(commitNow, ended);
        fences.add(held);
        return held;
    }

    /** A booking transaction holding its region's fence until {@link #commit}. */
    private record HeldFence(CompletableFuture<Void> commitNow, CompletableFuture<Void> ended) {

        void commit() throws Exception {
            commitNow.complete(null);
            ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private <T> CompletableFuture<T> inBackground(Supplier<Uni<T>> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return VertxContextSupport.subscribeAndAwait(work);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }, background);
    }

    private void awaitLapsed(String region) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> sql.number(
                "SELECT count(*) FROM region_lease WHERE region = ? AND expires_at <= now()", region) == 1);
    }

    private RegionOwnership replica() {
        RegionOwnership replica = new RegionOwnership(leases, UUID.randomUUID(), LEASE);
        replicas.add(replica);
        return replica;
    }

    /** A new region leased to the replica at epoch 1, made in one statement so no tick takes it first. */
    private String regionHeldBy(UUID replica, String lease) throws SQLException {
        String region = "fence-lock-" + UUID.randomUUID().toString().substring(0, 8);
        sql.execute("""
                WITH r AS (INSERT INTO region (code, name) VALUES (?, 'Fence lock test region') RETURNING code)
                INSERT INTO region_lease (region, owner, epoch, acquired_at, expires_at)
                SELECT code, ?, 1, now(), now() + CAST(? AS interval) FROM r""", region, replica, lease);
        return region;
    }
}
