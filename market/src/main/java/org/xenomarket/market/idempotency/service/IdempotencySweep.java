package org.xenomarket.market.idempotency.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Purges Idempotency-Keys past their retention, so keys are not kept forever. One DELETE: instances may overlap. */
@ApplicationScoped
public class IdempotencySweep {

    private static final Logger LOG = Logger.getLogger(IdempotencySweep.class);

    private final IdempotentRequests requests;
    private volatile boolean stopping;

    public IdempotencySweep(IdempotentRequests requests) {
        this.requests = requests;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${xenomarket.idempotency.sweep-interval:1h}",
            delayed = "${xenomarket.idempotency.sweep-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return requests.purge().invoke(purged -> {
            if (purged > 0) {
                LOG.infof("%d Idempotency-Key(s) past their retention purged", purged);
            }
        }).replaceWithVoid();
    }
}
