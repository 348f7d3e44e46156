package org.xenomarket.market.person.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;
import org.xenomarket.market.person.repository.PersonSessionRepository;

/**
 * Revokes the tokens of expired sessions. Session tokens are ordinary API tokens, which have no
 * expiry of their own; revoking them here keeps the bearer filter as it is.
 */
@ApplicationScoped
public class SessionSweep {

    private static final Logger LOG = Logger.getLogger(SessionSweep.class);

    private final PersonSessionRepository sessions;
    private final Clock clock;

    public SessionSweep(PersonSessionRepository sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Scheduled(every = "${xenomarket.sessions.sweep-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return Panache.withTransaction(() -> sessions.revokeExpired(clock.instant()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("revoked %d expired session tokens", n);
                    }
                })
                .replaceWithVoid();
    }
}
