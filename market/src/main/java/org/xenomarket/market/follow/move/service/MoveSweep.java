package org.xenomarket.market.follow.move.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.clearing.service.RegionOwnership;
import org.xenomarket.market.follow.move.repository.LeaseMoveRepository;
import org.xenomarket.market.follow.move.repository.SweepCandidates;

/**
 * Keeps watching following leases between point updates: every {@code xenomarket.follow.move-sweep-interval}
 * it runs the {@link MovePlanner} (the one booking path of a move) for running following leases with no
 * unfinished move that were not looked at within the interval, so a nearer server that is listed, or gets
 * room, after the point last changed is still found. At most {@code xenomarket.follow.move-sweep-batch}
 * leases per sweep, taken in turn after where the previous sweep stopped (so the one looked at longest
 * ago comes first), keep a sweep's load on the database bounded.
 *
 * <p>Across replicas each lease is swept by the replica that holds the region of its server's site
 * ({@link RegionOwnership}), so replicas share the work without holding locks while the planner books;
 * in the moment a region changes hands both may look at a lease, and the planner's lease lock and the one
 * unfinished move per lease (a unique index) still book it at most once.
 *
 * <p>A lease whose last move failed (a node could not save or restore) is looked at again only after
 * {@code xenomarket.follow.move-retry-after-failure}, so a target that keeps failing does not save and
 * restore the guest every interval; a point update or a sponsor's request still looks at once.
 *
 * <p>Before planning, every sweep fails the moves not done within {@code xenomarket.follow.move-timeout}
 * of their last step, the booking or the save (a node that died or stalled mid-move), through {@link MoveProgress#timedOut}, so the
 * new server's hours come back and the lease keeps running where it was. Every replica does this for
 * every move, whatever regions it holds: each move is failed under its row lock, once.
 */
@ApplicationScoped
public class MoveSweep {

    private static final Logger LOG = Logger.getLogger(MoveSweep.class);
    private static final UUID FIRST = new UUID(0, 0);

    private final SweepCandidates candidates;
    private final LeaseMoveRepository moves;
    private final MoveProgress progress;
    private final Duration timeout;
    private final MovePlanner planner;
    private final RegionOwnership ownership;
    private final Clock clock;
    private final Duration interval;
    private final Duration retryAfterFailure;
    private final int batch;
    /** The last lease the previous sweep looked at; the next sweep goes on after it. */
    private volatile UUID cursor = FIRST;
    private volatile boolean stopping;

    public MoveSweep(SweepCandidates candidates, LeaseMoveRepository moves, MoveProgress progress, MovePlanner planner,
                     RegionOwnership ownership, Clock clock,
                     @ConfigProperty(name = "xenomarket.follow.move-sweep-interval", defaultValue = "60s")
                     Duration interval,
                     @ConfigProperty(name = "xenomarket.follow.move-retry-after-failure", defaultValue = "PT15M")
                     Duration retryAfterFailure,
                     @ConfigProperty(name = "xenomarket.follow.move-sweep-batch", defaultValue = "100") int batch,
                     @ConfigProperty(name = "xenomarket.follow.move-timeout", defaultValue = "PT30M") Duration timeout) {
        this.candidates = candidates;
        this.moves = moves;
        this.progress = progress;
        this.timeout = timeout;
        this.planner = planner;
        this.ownership = ownership;
        this.clock = clock;
        this.interval = interval;
        this.retryAfterFailure = retryAfterFailure;
        this.batch = batch;
    }

    // A sweep that fires while the market shuts down would only meet a closed connection pool.
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${xenomarket.follow.move-sweep-interval:60s}",
            delayed = "${xenomarket.follow.move-sweep-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return timeOutStuck().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Move sweep could not time out stuck moves: %s", failure.getMessage());
            return 0;
        }).chain(() -> sweep()).onFailure().recoverWithItem(failure -> {
            LOG.warnf("Move sweep failed: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Fails up to a batch of the moves whose last step was longer than the timeout ago; returns how many failed. */
    public Uni<Integer> timeOutStuck() {
        Instant stepBefore = clock.instant().minus(timeout);
        return Panache.withSession(() -> moves.unfinishedStepBefore(stepBefore, batch)).chain(stuck -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (UUID move : stuck) {
                chain = chain.chain(failed -> progress.timedOut(move, stepBefore, timeout)
                        .map(timedOut -> timedOut ? failed + 1 : failed)
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("Move sweep could not time out move %s: %s", move, failure.getMessage());
                            return failed;
                        }));
            }
            return chain;
        });
    }

    /** One sweep; returns how many moves it booked. */
    public Uni<Integer> sweep() {
        Set<String> regions = ownership.held().keySet();
        if (regions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Instant now = clock.instant();
        UUID after = cursor;
        return candidates.due(after, regions, now, now.minus(interval), now.minus(retryAfterFailure), batch)
                .chain(due -> {
                    // a short page means the end was reached: the next sweep starts from the first lease again
                    cursor = due.size() < batch ? FIRST : due.get(due.size() - 1);
                    return considerInTurn(due);
                });
    }

    private Uni<Integer> considerInTurn(List<UUID> due) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (UUID lease : due) {
            chain = chain.chain(booked -> planner.consider(lease)
                    .map(decision -> {
                        if (decision.booked()) {
                            LOG.infof("Move sweep booked move %s of lease %s", decision.move().id, lease);
                            return booked + 1;
                        }
                        LOG.debugf("Move sweep: lease %s stays (%s: %s)", lease, decision.field(), decision.reason());
                        return booked;
                    })
                    // one lease's failure (a lost connection, say) does not stop the others being looked at
                    .onFailure().recoverWithItem(failure -> {
                        LOG.warnf("Move sweep could not look at lease %s: %s", lease, failure.getMessage());
                        return booked;
                    }));
        }
        return chain;
    }
}
