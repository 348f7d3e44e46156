package org.xenomarket.market.clearing.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.clearing.repository.RegionLeaseRepository;

/**
 * Which regions this market replica clears: a lease per region in PostgreSQL ({@code region_lease}),
 * with an expiry and an epoch. Every {@code xenomarket.clearing.ownership-interval} the replica
 * heartbeats, renews its leases and evens out the regions: it claims free or expired regions up to
 * its fair share (regions / live replicas, rounded up) and gives back what it holds above it, so the
 * regions spread over the replicas. A replica that dies stops renewing; its leases expire after
 * {@code xenomarket.clearing.region-lease} and the others claim them on their next tick.
 *
 * <p>A round runs only under a lease this replica holds ({@link #whileOwned}), at most one round of a
 * region at a time in this process, and its bookings are fenced by the lease's epoch (see
 * {@link RegionFence}).
 */
@ApplicationScoped
public class RegionOwnership {

    private static final Logger LOG = Logger.getLogger(RegionOwnership.class);

    private final RegionLeaseRepository leases;
    private final UUID replica;
    private final Duration ttl;
    private final String host = host();
    private final Set<String> inRound = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Long> held = Map.of();
    private volatile boolean stopping;

    @Inject
    public RegionOwnership(RegionLeaseRepository leases,
                           @ConfigProperty(name = "xenomarket.clearing.region-lease", defaultValue = "PT20S") Duration ttl) {
        this(leases, UUID.randomUUID(), ttl);
    }

    /** A replica with its own id: the market has one; tests make several to share regions between them. */
    public RegionOwnership(RegionLeaseRepository leases, UUID replica, Duration ttl) {
        this.leases = leases;
        this.replica = replica;
        this.ttl = ttl;
    }

    /** This replica's id, as {@code market_replica.id} and {@code region_lease.owner} name it. */
    public UUID replica() {
        return replica;
    }

    /** The regions this replica held after its last tick, with their epochs. */
    public Map<String, Long> held() {
        return held;
    }

    @Scheduled(every = "${xenomarket.clearing.ownership-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return tick().onFailure().recoverWithItem(failure -> {
            // the database may be restarting: the leases expire and are taken back on a later tick
            LOG.warnf("Region ownership heartbeat failed: %s", failure.getMessage());
            return held;
        }).replaceWithVoid();
    }

    /**
     * One heartbeat, in one transaction: this replica's row, its leases renewed, and its share evened
     * out. Answers the regions it holds afterwards with their epochs.
     */
    public Uni<Map<String, Long>> tick() {
        return leases.inTransaction(tx -> leases.heartbeat(tx, replica, host, ProcessHandle.current().pid(), ttl)
                        .chain(() -> leases.renew(tx, replica, ttl))
                        .chain(mine -> leases.share(tx).chain(share -> {
                            int target = target(share);
                            if (mine.size() > target) {
                                List<String> surplus = surplus(mine, mine.size() - target);
                                // a region with a booking in flight is kept until a later tick
                                return leases.release(tx, replica, surplus).map(released -> {
                                    Map<String, Long> kept = new LinkedHashMap<>(mine);
                                    released.forEach(kept::remove);
                                    return kept;
                                });
                            }
                            if (mine.size() < target) {
                                return leases.claimFree(tx, replica, target - mine.size(), ttl).map(claimed -> {
                                    Map<String, Long> now = new LinkedHashMap<>(mine);
                                    now.putAll(claimed);
                                    return now;
                                });
                            }
                            return Uni.createFrom().item(mine);
                        })))
                .invoke(this::holding);
    }

    /**
     * How many regions this replica should hold: the fair share rounded up, so that the shares cover
     * every region; but while some live replica holds fewer than the share rounded down (it just
     * joined), everyone keeps to the share rounded down, so that room is made for it.
     */
    static int target(RegionLeaseRepository.Share share) {
        int live = Math.max(1, share.liveReplicas());
        int floor = share.regions() / live;
        int ceiling = (share.regions() + live - 1) / live;
        return share.fewestHeld() < floor ? floor : ceiling;
    }

    /** What to give back: never a region whose round is running here, the last regions by code first. */
    private List<String> surplus(Map<String, Long> mine, int count) {
        List<String> candidates = new ArrayList<>(mine.keySet().stream().filter(r -> !inRound.contains(r)).toList());
        candidates.sort(Comparator.reverseOrder());
        return candidates.subList(0, Math.min(count, candidates.size()));
    }

    private void holding(Map<String, Long> now) {
        Map<String, Long> before = held;
        if (!now.keySet().equals(before.keySet())) {
            LOG.infof("Replica %s clears %s (was %s)", replica, now.keySet(), before.keySet());
        }
        held = Map.copyOf(now);
    }

    /**
     * Runs {@code work} under the region's lease if this replica holds it (as a scheduled round does);
     * answers {@code elsewhere} when another replica holds it or a round of it already runs here.
     */
    public <T> Uni<T> whileOwned(String region, Function<RegionFence, Uni<T>> work, Supplier<T> elsewhere) {
        Long epoch = held.get(region);
        if (epoch == null) {
            return Uni.createFrom().item(elsewhere);
        }
        // the lease may have been taken over while this replica stalled: then the round is not started
        return exclusive(region, () -> leases.stillHeld(region, replica, epoch)
                .map(still -> still ? new RegionFence(region, replica, epoch) : null), work, elsewhere);
    }

    /**
     * Runs {@code work} under the region's lease, taking the lease first if nobody holds it (a round an
     * operator asks for); answers {@code elsewhere} when another replica holds it.
     */
    public <T> Uni<T> whileClaimed(String region, Function<RegionFence, Uni<T>> work, Supplier<T> elsewhere) {
        return exclusive(region, () -> leases.claim(region, replica, ttl).map(epoch -> epoch.map(e -> {
            Map<String, Long> now = new LinkedHashMap<>(held);
            now.put(region, e);
            holding(now);
            return new RegionFence(region, replica, e);
        }).orElse(null)), work, elsewhere);
    }

    private <T> Uni<T> exclusive(String region, Supplier<Uni<RegionFence>> acquire, Function<RegionFence, Uni<T>> work,
                                 Supplier<T> elsewhere) {
        return Uni.createFrom().deferred(() -> {
            if (!inRound.add(region)) {
                return Uni.createFrom().item(elsewhere);
            }
            return acquire.get()
                    .chain(fence -> fence == null ? Uni.createFrom().item(elsewhere) : work.apply(fence))
                    .eventually(() -> inRound.remove(region));
        });
    }

    /**
     * Within the caller's transaction: fails with {@link RegionLost} unless the fence's lease is still
     * held under its epoch; the lease row stays locked against a takeover until that transaction ends.
     */
    public Uni<Void> check(RegionFence fence) {
        return leases.holdsFence(fence.region(), fence.owner(), fence.epoch())
                .invoke(still -> {
                    if (!still) {
                        throw new RegionLost(fence);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Leaves the market: the leases not in a running round are freed at once (the others expire), and
     * this replica's row is removed, so the others take its regions on their next tick.
     */
    public Uni<Void> leave() {
        stopping = true;
        held = Map.of();
        return leases.leave(replica, List.copyOf(inRound));
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            leave().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not give back this replica's regions on shutdown (they expire by themselves): %s",
                    e.getMessage());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
