package org.xenomarket.market.node.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.NodeSettings;
import org.xenomarket.market.reliability.repository.AvailabilityRepository;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.repository.ServerRepository;

/**
 * Declares servers whose node stopped heartbeating OFFLINE and fails their leases, with the time
 * of failure, so sponsors are not charged for a guest that nobody vouches for any more.
 */
@ApplicationScoped
public class OfflineSweep {

    private static final Logger LOG = Logger.getLogger(OfflineSweep.class);

    private final ServerRepository servers;
    private final LeaseRepository leases;
    private final AvailabilityRepository availability;
    private final NodeSettings settings;
    private final CapacityRepository capacity;
    private final Clock clock;
    private final AcceleratorRepository accelerators;
    /** When this market began to serve; null until then. */
    private volatile Instant startedAt;
    private volatile boolean stopping;

    private final org.xenomarket.market.follow.move.service.MoveProgress moveProgress;

    public OfflineSweep(ServerRepository servers, LeaseRepository leases, AvailabilityRepository availability,
                        NodeSettings settings, CapacityRepository capacity, Clock clock,
                        AcceleratorRepository accelerators,
                        org.xenomarket.market.follow.move.service.MoveProgress moveProgress) {
        this.moveProgress = moveProgress;
        this.accelerators = accelerators;
        this.capacity = capacity;
        this.servers = servers;
        this.leases = leases;
        this.availability = availability;
        this.settings = settings;
        this.clock = clock;
    }

    // Start-up can take a while (migrations, rule compilation) and no node can reach the market
    // meanwhile, so the grace is counted from the end of start-up, not from the process start.
    void onStart(@Observes StartupEvent event) {
        startedAt = clock.instant();
    }

    // A sweep that fires while the market shuts down would only meet a closed connection pool.
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${xenomarket.node.sweep-interval:15s}", delayed = "${xenomarket.node.sweep-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return stopping ? Uni.createFrom().voidItem() : sweep().replaceWithVoid();
    }

    /** One sweep; returns how many servers went offline. */
    public Uni<Integer> sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.heartbeatTimeout());
        // While the market itself was down no node could reach it: after a (re)start every node
        // gets a grace (by default a whole timeout) to heartbeat before silence counts against it.
        Instant started = startedAt;
        if (started == null || now.isBefore(started.plus(settings.startGrace().orElse(settings.heartbeatTimeout())))) {
            return Uni.createFrom().item(0);
        }
        return Panache.withTransaction(() -> servers.silentSince(cutoff).chain(silent -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (Server server : silent) {
                chain = chain.chain(count -> takeOffline(server, cutoff, now).map(offline -> count + offline));
            }
            return chain;
        }));
    }

    /** Gives back, in the sweep's transaction, the hours the failing leases will no longer use. */
    private Uni<Void> releaseCapacity(Server server, Instant now) {
        return leases.onServerInStates(server.id, LeaseTransitions.ACTIVE).chain(failing -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Lease lease : failing) {
                CapacityWindow giveBack = LeaseTransitions.releasedOnFailure(lease, now);
                if (giveBack != null) {
                    chain = chain.chain(() -> capacity.release(server.id, lease.resources.toVector(), giveBack)
                            .replaceWithVoid());
                    if (lease.acceleratorModel != null) {
                        chain = chain.chain(() -> accelerators.release(lease.id, giveBack.firstBucket()).replaceWithVoid());
                    }
                }
            }
            return chain;
        });
    }

    private Uni<Integer> takeOffline(Server server, Instant cutoff, Instant now) {
        String reason = "server " + server.name + " went offline: no heartbeat from its node since "
                + server.lastHeartbeatAt;
        return servers.markOfflineIfSilent(server.id, cutoff).chain(changed -> changed == 0
                ? Uni.createFrom().item(0)
                // The silence began with the last heartbeat, so that is when the offline period starts.
                : availability.markOffline(server.id, server.lastHeartbeatAt)
                .chain(() -> releaseCapacity(server, now))
                // a move from or to a server that went offline cannot finish: it fails, giving its hours back
                .chain(() -> moveProgress.failInvolving(server.id, reason))
                .chain(() -> leases.failOnServer(server.id, LeaseTransitions.ACTIVE, reason, now)).map(failed -> {
                    LOG.warnf("Server %s (%s) is OFFLINE: last heartbeat %s; %d lease(s) failed", server.name,
                            server.id, server.lastHeartbeatAt, failed);
                    return 1;
                }));
    }
}
