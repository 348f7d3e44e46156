package org.xenomarket.market.bid.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.repository.BidRepository;

/**
 * Marks open bids past their expiry EXPIRED, with the reason, so neither immediate matching nor a
 * clearing round takes them any more and their sponsors see why. One UPDATE: several market
 * instances may sweep at once without harm.
 */
@ApplicationScoped
public class BidExpirySweep {

    private static final Logger LOG = Logger.getLogger(BidExpirySweep.class);

    private final BidRepository bids;
    private final Clock clock;
    private volatile boolean stopping;

    public BidExpirySweep(BidRepository bids, Clock clock) {
        this.bids = bids;
        this.clock = clock;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${xenomarket.bid.expiry-sweep-interval:30s}",
            delayed = "${xenomarket.bid.expiry-sweep-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return stopping ? Uni.createFrom().voidItem() : sweep().replaceWithVoid();
    }

    /** One sweep; returns how many bids expired. */
    public Uni<Integer> sweep() {
        return Panache.withTransaction(() -> bids.expireDue(clock.instant())).invoke(expired -> {
            if (expired > 0) {
                LOG.infof("%d open bid(s) expired", expired);
            }
        });
    }
}
